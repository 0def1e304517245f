/// The Python helper for plugins, `robochain_plugin.py` (standard library only): reads the
/// request (the model inline or from its CSV directory), gives SPEC §2's link and edge weights,
/// writes findings, tables and SPEC §5's error responses.
///
/// `robochain plugins new --language python` writes it beside the plugin's script;
/// `python/robochain_plugin.py` in the repository is this text, kept equal by a test
/// (re-written with `RECORD_GOLDEN=1`).
public enum PythonHelper {
    /// The module's file name.
    public static let fileName = "robochain_plugin.py"

    /// The module's text.
    public static let source = #"""
        """robochain_plugin: helpers for RoboChain analysis plugins in Python (protocol 1).

        One module, Python standard library only. Copy it beside your plugin's script (robochain
        `plugins new --language python` does) and:

            import robochain_plugin as rc

            def analyse(request, model):
                minimum = request["options"]["minimum"]
                if minimum < 0:
                    raise rc.UsageError("option 'minimum' must be 0 or more")
                findings = [rc.finding("few-suppliers", "medium", f"{model.name(c)} has few suppliers.", component=c)
                            for c in model.component_ids if len(model.suppliers(c)) < minimum]
                return {"findings": findings}

            if __name__ == "__main__":
                rc.run(analyse)

        `run` reads the request from standard input (the model inline, or from the CSV directory a
        manifest with `"input": "csv"` is given), calls `analyse(request, model)`, adds `protocol` and
        `analysis` to the dictionary it returns and writes it to standard output; a `UsageError` or
        `ModelError` it raises becomes SPEC §5's `error` response (robochain exits 64 or 65). Anything
        printed goes to standard error, where robochain shows it as the plugin's log: standard output
        holds only the response.

        `Model` gives the SPEC §2 weights: `link_weights(component)` (each supplier's weight) and
        `edge_weights(component)` (each child's weight and the assembler's own value added).
        """
        import csv
        import json
        import os
        import sys

        PROTOCOL = 1
        __version__ = "1.0.0"


        class UsageError(Exception):
            """An option value the analysis rejects: answered as SPEC §5's usage error (exit 64)."""


        class ModelError(Exception):
            """A model the analysis cannot work on: answered as SPEC §5's model error (exit 65)."""


        def _number(text):
            """A CSV cell as a number: '' is None, '30%' is 0.3 (SPEC §1.2)."""
            text = (text or "").strip()
            if not text:
                return None
            if text.endswith("%"):
                return float(text[:-1].strip()) / 100
            return float(text)


        def read_csv_model(directory):
            """The model in a CSV directory (SPEC §1.2) in the JSON form of the request's `model`."""
            def rows(name):
                path = os.path.join(directory, name)
                if not os.path.exists(path):
                    return []
                with open(path, newline="", encoding="utf-8-sig") as handle:
                    sample = handle.readline()
                    handle.seek(0)
                    delimiter = max([",", ";", "\t"], key=sample.count)
                    return [row for row in csv.DictReader(handle, delimiter=delimiter) if any((v or "").strip() for v in row.values())]

            def attributes(row, known):
                extra = {k: v for k, v in row.items() if k not in known and k is not None and v not in (None, "")}
                return {"attributes": extra} if extra else {}

            model = {}
            for row in rows("model.csv")[:1]:
                model.update({k: row[k] for k in ("id", "title", "home") if row.get(k)})
            model["regions"] = [dict({"id": r["id"], "name": r["name"]}, **({"parent": r["parent"]} if r.get("parent") else {}),
                                     **attributes(r, {"id", "name", "parent", "source", "note"})) for r in rows("regions.csv")]
            segments = rows("segments.csv")
            if segments:
                model["segments"] = [{"id": s["id"], "name": s["name"]} for s in segments]
            requires = {}
            for row in rows("requires.csv"):
                edge = {"component": row["child"]}
                weight = _number(row.get("weight"))
                if weight is not None:
                    edge["weight"] = weight
                requires.setdefault(row["parent"], []).append(edge)
            model["components"] = [dict({"id": c["id"], "name": c["name"], "segment": c["segment"]},
                                        **({"requires": requires[c["id"]]} if c["id"] in requires else {}),
                                        **attributes(c, {"id", "name", "segment", "source", "note"})) for c in rows("components.csv")]
            supplies = {}
            for row in rows("supplies.csv"):
                link = {"component": row["component"]}
                share = _number(row.get("share"))
                if share is not None:
                    link["share"] = share
                if row.get("product"):
                    link["product"] = row["product"]
                supplies.setdefault(row["firm"], []).append(link)
            model["firms"] = [dict({"id": f["id"], "name": f["name"], "region": f["region"], "supplies": supplies.get(f["id"], [])},
                                   **attributes(f, {"id", "name", "region", "source", "note"})) for f in rows("firms.csv")]
            return model


        def link_weights(shares):
            """SPEC §2 link weights from the links' shares (None: absent): 1 each when none is given;
            otherwise given shares stand and the others split max(0, 1 - their sum) equally; 1 each
            again when the weights total 0."""
            given = [s for s in shares if s is not None]
            if not given:
                weights = [1.0] * len(shares)
            else:
                missing = len(shares) - len(given)
                rest = max(0.0, 1.0 - sum(given)) / missing if missing else 0.0
                weights = [float(s) if s is not None else rest for s in shares]
            if sum(weights) <= 0:
                weights = [1.0] * len(shares)
            return weights


        def edge_weights(weights):
            """SPEC §2 edge weights from a component's `requires` weights (None: absent), and own(c):
            1/n each when none is given; otherwise given weights stand and the others split
            max(0, 1 - their sum) equally. Returns (weights, own) with own = 1 - sum(weights)."""
            if not weights:
                return [], 1.0
            given = [w for w in weights if w is not None]
            if not given:
                result = [1.0 / len(weights)] * len(weights)
            else:
                missing = len(weights) - len(given)
                rest = max(0.0, 1.0 - sum(given)) / missing if missing else 0.0
                result = [float(w) if w is not None else rest for w in weights]
            return result, 1.0 - sum(result)


        class Model:
            """The model of a request, indexed: components, firms, regions by id, supply links."""

            def __init__(self, model):
                self.json = model
                self.home = model.get("home")
                self.regions = {r["id"]: r for r in model.get("regions", [])}
                self.components = {c["id"]: c for c in model.get("components", [])}
                self.component_ids = [c["id"] for c in model.get("components", [])]
                self.firms = {f["id"]: f for f in model.get("firms", [])}
                self._links = {c: [] for c in self.component_ids}
                for firm in model.get("firms", []):
                    for link in firm.get("supplies", []):
                        link = {"component": link} if isinstance(link, str) else link
                        self._links.setdefault(link["component"], []).append((firm["id"], link.get("share")))

            def name(self, id):
                """The name of a component, firm or region."""
                for table in (self.components, self.firms, self.regions):
                    if id in table:
                        return table[id]["name"]
                return id

            def within(self, region, scope):
                """Whether region is scope or lies below it (SPEC §1)."""
                while region is not None:
                    if region == scope:
                        return True
                    region = self.regions.get(region, {}).get("parent")
                return False

            def suppliers(self, component):
                """The supply links of a component: [(firm id, share or None)], in model order."""
                return list(self._links.get(component, []))

            def link_weights(self, component):
                """[(firm id, SPEC §2 weight)] of a component's supply links."""
                links = self._links.get(component, [])
                return list(zip([f for f, _ in links], link_weights([s for _, s in links])))

            def requires(self, component):
                """[(child id, weight or None)] as the model gives them."""
                edges = self.components[component].get("requires", [])
                return [(e, None) if isinstance(e, str) else (e["component"], e.get("weight")) for e in edges]

            def edge_weights(self, component):
                """([(child id, SPEC §2 weight)], own) for a component."""
                edges = self.requires(component)
                weights, own = edge_weights([w for _, w in edges])
                return list(zip([c for c, _ in edges], weights)), own


        def read_request(stream=None):
            """The request from `stream` (standard input by default), with `model` filled in from
            `modelDirectory` when the manifest asked for CSV input."""
            request = json.load(stream or sys.stdin)
            if request.get("protocol") != PROTOCOL:
                raise SystemExit(f"unsupported protocol {request.get('protocol')!r}: this helper speaks protocol {PROTOCOL}")
            if "model" not in request and "modelDirectory" in request:
                request["model"] = read_csv_model(request["modelDirectory"])
            return request


        def finding(kind, severity, message, component=None, firm=None, **extra):
            """A finding (SPEC §5): about a component or a firm; extra keys are kept."""
            result = {"kind": kind, "severity": severity, "message": message}
            if component is not None:
                result["component"] = component
            if firm is not None:
                result["firm"] = firm
            result.update(extra)
            return result


        def column(id, title=None, type="text", help=None):
            """A table column (SPEC §5 column types: text, number, integer, share, boolean, component,
            firm, region, components, firms)."""
            result = {"id": id, "title": title or id, "type": type}
            if help:
                result["help"] = help
            return result


        def table(id, title, columns, rows):
            """A table: columns from `column`, rows as dictionaries keyed by column id."""
            return {"id": id, "title": title, "columns": columns, "rows": rows}


        def response(request, body):
            """`body` with `protocol` and `analysis` first, as robochain expects."""
            result = {"protocol": PROTOCOL, "analysis": request.get("analysis")}
            result.update({k: v for k, v in body.items() if k not in ("protocol", "analysis")})
            return result


        def error(request, kind, message):
            """SPEC §5's error response: kind 'usage' (an option value) or 'model'."""
            return {"protocol": PROTOCOL, "analysis": request.get("analysis"), "error": {"kind": kind, "message": message}}


        def write(answer, stream=None):
            """Writes a response as one JSON object and a newline."""
            stream = stream or sys.stdout
            json.dump(answer, stream, ensure_ascii=False, allow_nan=False)
            stream.write("\n")
            stream.flush()


        def answer(request, analyse):
            """The response to `request`: analyse(request, Model) completed, or the error it raised."""
            try:
                return response(request, analyse(request, Model(request["model"])))
            except UsageError as problem:
                return error(request, "usage", str(problem))
            except ModelError as problem:
                return error(request, "model", str(problem))


        def run(analyse):
            """Reads the request, answers it with `analyse(request, model)`, writes the response."""
            real_stdout = sys.stdout
            # Anything the analysis prints is log, not response.
            sys.stdout = sys.stderr
            try:
                result = answer(read_request(sys.stdin), analyse)
            finally:
                sys.stdout = real_stdout
            write(result)

        """#
}
