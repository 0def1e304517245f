import RoboChainJSON

extension ChainModel {
    /// Writes the model in the JSON form of SPEC §1.1 (the form plugins receive).
    ///
    /// Loading the output with ``ModelLoader/loadJSON(_:file:)-(JSONValue,String)`` gives back an
    /// equal model. Segments are written only if the model listed them.
    ///
    /// - Complexity: O(n) in the size of the model.
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        if let id {
            writer.key("id")
            writer.string(id)
        }
        if let title {
            writer.key("title")
            writer.string(title)
        }
        if let home {
            writer.key("home")
            writer.string(regions.ids[home])
        }
        writer.key("regions")
        writer.beginArray()
        for region in 0..<regions.count {
            writer.beginObject()
            writer.key("id")
            writer.string(regions.ids[region])
            writer.key("name")
            writer.string(regions.names[region])
            if let parent = regions.parent(of: region) {
                writer.key("parent")
                writer.string(regions.ids[parent])
            }
            Self.writeText(regions.sources, regions.notes, region, to: &writer)
            Self.writeAttributes(regions.attributes, region, to: &writer)
            writer.endObject()
        }
        writer.endArray()
        if segments.isDeclared {
            writer.key("segments")
            writer.beginArray()
            for segment in 0..<segments.count {
                writer.beginObject()
                writer.key("id")
                writer.string(segments.ids[segment])
                writer.key("name")
                writer.string(segments.names[segment])
                if let order = segments.orders[segment] {
                    writer.key("order")
                    writer.integer(order)
                }
                Self.writeText(segments.sources, segments.notes, segment, to: &writer)
                Self.writeAttributes(segments.attributes, segment, to: &writer)
                writer.endObject()
            }
            writer.endArray()
        }
        writer.key("components")
        writer.beginArray()
        for component in 0..<components.count {
            writer.beginObject()
            writer.key("id")
            writer.string(components.ids[component])
            writer.key("name")
            writer.string(components.names[component])
            writer.key("segment")
            writer.string(segments.ids[components.segment(of: component)])
            let edges = components.requirements(of: component)
            if !edges.isEmpty {
                writer.key("requires")
                writer.beginArray()
                for edge in edges {
                    writer.beginObject()
                    writer.key("component")
                    writer.string(components.ids[components.child(ofRequirement: edge)])
                    if let weight = components.weight(ofRequirement: edge) {
                        writer.key("weight")
                        writer.number(weight)
                    }
                    Self.writeText(components.requirementSources, components.requirementNotes, edge, to: &writer)
                    Self.writeAttributes(components.requirementAttributes, edge, to: &writer)
                    writer.endObject()
                }
                writer.endArray()
            }
            Self.writeText(components.sources, components.notes, component, to: &writer)
            Self.writeAttributes(components.attributes, component, to: &writer)
            writer.endObject()
        }
        writer.endArray()
        writer.key("firms")
        writer.beginArray()
        for firm in 0..<firms.count {
            writer.beginObject()
            writer.key("id")
            writer.string(firms.ids[firm])
            writer.key("name")
            writer.string(firms.names[firm])
            writer.key("region")
            writer.string(regions.ids[firms.region(of: firm)])
            let links = firms.links(of: firm)
            if !links.isEmpty {
                writer.key("supplies")
                writer.beginArray()
                for link in links {
                    writer.beginObject()
                    writer.key("component")
                    writer.string(components.ids[supplies.component(of: link)])
                    if let share = supplies.share(of: link) {
                        writer.key("share")
                        writer.number(share)
                    }
                    if let product = supplies.products[link] {
                        writer.key("product")
                        writer.string(product)
                    }
                    Self.writeText(supplies.sources, supplies.notes, link, to: &writer)
                    Self.writeAttributes(supplies.attributes, link, to: &writer)
                    writer.endObject()
                }
                writer.endArray()
            }
            Self.writeText(firms.sources, firms.notes, firm, to: &writer)
            Self.writeAttributes(firms.attributes, firm, to: &writer)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
    }

    /// The model as compact JSON text.
    public func encodedJSON() -> [UInt8] {
        var writer = JSONWriter(style: .compact)
        writeJSON(to: &writer)
        return writer.bytes
    }

    /// `"attributes": {…}` when the element has any.
    private static func writeAttributes(_ table: AttributeTable, _ index: Int, to writer: inout JSONWriter) {
        guard !table.isEmpty else { return }
        let values = table.attributes(of: index)
        guard !values.isEmpty else { return }
        writer.key("attributes")
        writer.beginObject()
        for (name, value) in values {
            writer.key(name)
            switch value {
            case .text(let text): writer.string(text)
            case .number(let number): writer.number(number)
            case .boolean(let flag): writer.bool(flag)
            }
        }
        writer.endObject()
    }

    private static func writeText(
        _ sources: SparseColumn<String>, _ notes: SparseColumn<String>, _ index: Int, to writer: inout JSONWriter
    ) {
        if sources.count > 0, let source = sources[index] {
            writer.key("source")
            writer.string(source)
        }
        if notes.count > 0, let note = notes[index] {
            writer.key("note")
            writer.string(note)
        }
    }
}
