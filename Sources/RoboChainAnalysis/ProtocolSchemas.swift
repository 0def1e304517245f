import RoboChainJSON

/// The JSON Schemas (draft 2020-12) of protocol 1's three messages: the manifest
/// (`plugin.json`), the request and the response (SPEC §5).
///
/// This is their one source: `robochain plugins check` validates against these, and
/// `docs/schemas/protocol-1/*.schema.json` in the repository are these texts, kept equal by a
/// test (re-written with `RECORD_GOLDEN=1`) that also validates real messages with an
/// independent validator. The schemas state the form of each message; the host's decoders
/// check more (a table cell against its column's type, ids against the model).
public enum ProtocolSchemas {
    /// The schemas by message name, for protocol ``pluginProtocolVersion``.
    public static let texts: [(name: String, text: String)] = [("manifest", manifest), ("request", request), ("response", response)]

    /// The schema of the message `name` (`manifest`, `request`, `response`).
    public static func schema(_ name: String) -> JSONSchema? {
        texts.first { $0.name == name }.flatMap { try? JSONSchema(text: $0.text) }
    }

    /// `plugin.json`.
    public static let manifest = #"""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "title": "RoboChain plugin manifest (plugin.json), protocol 1",
          "type": "object",
          "required": ["name", "version", "protocol", "executable"],
          "properties": {
            "name": { "$ref": "#/$defs/name", "description": "The analysis name, used with --with." },
            "version": { "type": ["string", "number"], "description": "The plugin's version, e.g. \"1.0.0\"." },
            "protocol": { "const": 1 },
            "executable": {
              "type": "string", "minLength": 1, "pattern": "^[^/]",
              "description": "The program to run, relative to the plugin's directory."
            },
            "description": { "type": ["string", "null"] },
            "input": { "enum": ["json", "csv", null], "description": "How the model is given: inline (json, the default) or as a CSV directory." },
            "robochain": {
              "type": "string",
              "pattern": "^\\s*(((>=|<=|>|<|=|==)?\\s*[0-9]+(\\.[0-9]+){0,2})\\s*)+$",
              "description": "The robochain versions the plugin works with, e.g. \">=0.1 <1.0\"."
            },
            "options": {
              "type": "object",
              "propertyNames": { "$ref": "#/$defs/name" },
              "additionalProperties": { "$ref": "#/$defs/option" }
            }
          },
          "$defs": {
            "name": { "type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]*$" },
            "option": {
              "type": "object",
              "required": ["type"],
              "properties": {
                "type": { "enum": ["number", "integer", "string", "boolean"] },
                "help": { "type": ["string", "null"] }
              },
              "oneOf": [
                { "properties": { "type": { "const": "number" }, "default": { "type": ["number", "null"] } } },
                { "properties": { "type": { "const": "integer" }, "default": { "type": ["integer", "null"] } } },
                { "properties": { "type": { "const": "string" }, "default": { "type": ["string", "null"] } } },
                { "properties": { "type": { "const": "boolean" }, "default": { "type": ["boolean", "null"] } } }
              ]
            }
          }
        }

        """#

    /// What robochain writes to a plugin's standard input.
    public static let request = #"""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "title": "RoboChain plugin request, protocol 1",
          "type": "object",
          "required": ["protocol", "analysis", "scope", "options"],
          "properties": {
            "protocol": { "const": 1 },
            "analysis": { "type": "string", "minLength": 1 },
            "scope": { "type": "string", "minLength": 1 },
            "options": { "type": "object", "additionalProperties": { "type": ["number", "string", "boolean"] } },
            "model": { "$ref": "#/$defs/model" },
            "modelDirectory": { "type": "string", "pattern": "^/" }
          },
          "oneOf": [
            { "required": ["model"], "not": { "required": ["modelDirectory"] } },
            { "required": ["modelDirectory"], "not": { "required": ["model"] } }
          ],
          "$defs": {
            "id": { "type": "string", "minLength": 1 },
            "attributes": { "type": "object", "additionalProperties": { "type": ["string", "number", "boolean"] } },
            "model": {
              "type": "object",
              "required": ["regions", "components", "firms"],
              "properties": {
                "id": { "type": "string" },
                "title": { "type": "string" },
                "home": { "$ref": "#/$defs/id" },
                "regions": {
                  "type": "array",
                  "items": {
                    "type": "object", "required": ["id", "name"],
                    "properties": { "id": { "$ref": "#/$defs/id" }, "name": { "type": "string" }, "parent": { "$ref": "#/$defs/id" },
                      "attributes": { "$ref": "#/$defs/attributes" } }
                  }
                },
                "segments": {
                  "type": "array",
                  "items": {
                    "type": "object", "required": ["id", "name"],
                    "properties": { "id": { "$ref": "#/$defs/id" }, "name": { "type": "string" }, "order": { "type": "number" },
                      "attributes": { "$ref": "#/$defs/attributes" } }
                  }
                },
                "components": {
                  "type": "array",
                  "items": {
                    "type": "object", "required": ["id", "name", "segment"],
                    "properties": {
                      "id": { "$ref": "#/$defs/id" }, "name": { "type": "string" }, "segment": { "$ref": "#/$defs/id" },
                      "requires": {
                        "type": "array",
                        "items": {
                          "type": "object", "required": ["component"],
                          "properties": { "component": { "$ref": "#/$defs/id" },
                            "weight": { "type": "number", "exclusiveMinimum": 0, "maximum": 1 } }
                        }
                      },
                      "attributes": { "$ref": "#/$defs/attributes" }
                    }
                  }
                },
                "firms": {
                  "type": "array",
                  "items": {
                    "type": "object", "required": ["id", "name", "region"],
                    "properties": {
                      "id": { "$ref": "#/$defs/id" }, "name": { "type": "string" }, "region": { "$ref": "#/$defs/id" },
                      "supplies": {
                        "type": "array",
                        "items": {
                          "type": "object", "required": ["component"],
                          "properties": { "component": { "$ref": "#/$defs/id" },
                            "share": { "type": "number", "minimum": 0, "maximum": 1 }, "product": { "type": "string" } }
                        }
                      },
                      "attributes": { "$ref": "#/$defs/attributes" }
                    }
                  }
                }
              }
            }
          }
        }

        """#

    /// What a plugin writes to its standard output.
    public static let response = #"""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "title": "RoboChain plugin response, protocol 1",
          "type": "object",
          "required": ["protocol", "analysis"],
          "properties": {
            "protocol": { "const": 1 },
            "analysis": { "type": "string", "minLength": 1 },
            "error": {
              "type": "object", "required": ["kind", "message"],
              "properties": { "kind": { "enum": ["usage", "model"] }, "message": { "type": "string" } }
            },
            "findings": { "type": "array", "items": { "$ref": "#/$defs/finding" } },
            "metrics": { "type": "object", "additionalProperties": { "type": "number" } },
            "annotations": { "type": "object", "additionalProperties": { "$ref": "#/$defs/annotation" } },
            "tables": { "type": "array", "items": { "$ref": "#/$defs/table" } }
          },
          "$defs": {
            "id": { "type": "string", "minLength": 1 },
            "colour": { "type": ["string", "null"], "pattern": "^#[0-9A-Fa-f]{6}$" },
            "finding": {
              "type": "object",
              "required": ["kind", "severity", "message"],
              "properties": {
                "kind": { "type": "string" }, "severity": { "type": "string" }, "message": { "type": "string" },
                "component": { "$ref": "#/$defs/id" }, "firm": { "$ref": "#/$defs/id" }
              },
              "anyOf": [{ "required": ["component"] }, { "required": ["firm"] }]
            },
            "annotation": {
              "type": "object",
              "properties": {
                "fill": { "$ref": "#/$defs/colour" }, "border": { "$ref": "#/$defs/colour" },
                "badge": { "type": ["string", "null"] }, "tooltip": { "type": ["string", "null"] }
              }
            },
            "table": {
              "type": "object",
              "required": ["id", "columns"],
              "properties": {
                "id": { "type": "string", "minLength": 1 },
                "title": { "type": "string" },
                "view": { "type": "boolean" },
                "columns": {
                  "type": "array",
                  "items": {
                    "type": "object", "required": ["id", "type"],
                    "properties": {
                      "id": { "type": "string", "minLength": 1 }, "title": { "type": "string" }, "help": { "type": ["string", "null"] },
                      "type": { "enum": ["text", "number", "integer", "share", "boolean", "component", "firm", "region", "components", "firms"] }
                    }
                  }
                },
                "rows": { "type": "array", "items": { "type": "object" } }
              }
            }
          }
        }

        """#
}
