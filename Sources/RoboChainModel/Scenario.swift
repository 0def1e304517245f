import Dispatch

/// One operation of a what-if scenario (SPEC §6).
public enum ScenarioOperation: Sendable, Hashable, CustomStringConvertible {
    /// `--without firm:ID`: the firm and its supply links are removed.
    case withoutFirm(String)
    /// `--without region:ID`: every firm within the region (SPEC §1) is removed, with its links.
    case withoutRegion(String)
    /// `--relocate FIRM=REGION`: the firm's region becomes the region.
    case relocate(firm: String, region: String)

    /// Reads the value of `--without`: `firm:ID` or `region:ID`.
    ///
    /// - Throws: ``ModelError/invalidScenario(operation:problem:)`` for another selector or an
    ///   empty id.
    public init(without text: String) throws(ModelError) {
        guard let colon = text.firstIndex(of: ":") else {
            throw .invalidScenario(operation: "without \(text)", problem: "give firm:ID or region:ID")
        }
        let selector = String(text[..<colon])
        let id = String(text[text.index(after: colon)...])
        guard !id.isEmpty else {
            throw .invalidScenario(operation: "without \(text)", problem: "the \(selector) id is missing (give firm:ID or region:ID)")
        }
        switch selector {
        case "firm": self = .withoutFirm(id)
        case "region": self = .withoutRegion(id)
        default:
            throw .invalidScenario(
                operation: "without \(text)", problem: "unknown selector '\(selector)': give firm:ID or region:ID")
        }
    }

    /// Reads the value of `--relocate`: `FIRM=REGION`.
    ///
    /// - Throws: ``ModelError/invalidScenario(operation:problem:)`` without `=` or with an empty side.
    public init(relocation text: String) throws(ModelError) {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex, text.index(after: equals) != text.endIndex else {
            throw .invalidScenario(operation: "relocate \(text)", problem: "give FIRM=REGION")
        }
        self = .relocate(firm: String(text[..<equals]), region: String(text[text.index(after: equals)...]))
    }

    /// The operation as results carry it (SPEC §6): `without firm:ID`, `without region:ID` or
    /// `relocate FIRM=REGION`.
    public var description: String {
        switch self {
        case .withoutFirm(let id): "without firm:\(id)"
        case .withoutRegion(let id): "without region:\(id)"
        case .relocate(let firm, let region): "relocate \(firm)=\(region)"
        }
    }
}

/// A what-if scenario: operations applied in order to a loaded model (SPEC §6).
///
/// ```swift
/// let scenario = Scenario([try ScenarioOperation(without: "region:JP"),
///                          try ScenarioOperation(relocation: "nabtesco=CN-GD-SZ")])
/// let changed = try scenario.apply(to: model)
/// ```
public struct Scenario: Sendable, Hashable {
    /// The operations, in the order they apply.
    public var operations: [ScenarioOperation]

    /// A scenario of `operations`, applied in the order given (none: the model as it is).
    public init(_ operations: [ScenarioOperation] = []) {
        self.operations = operations
    }

    /// Whether the scenario changes nothing (it has no operations).
    public var isEmpty: Bool { operations.isEmpty }

    /// The operations as results carry them (SPEC §6), e.g. `["without region:JP"]`.
    public var descriptions: [String] { operations.map(\.description) }

    /// The model with the operations applied, in order.
    ///
    /// Each operation sees the model as the earlier ones left it: a firm removed (or moved out of
    /// a region) by an earlier operation is not there for a later one. Nothing else changes: the
    /// regions, segments and components stay as they are, and the firms and links left keep
    /// their order, so the result equals the model loaded from a file with the same change made
    /// by hand. Removing every firm is allowed (every component is then unsupplied).
    ///
    /// - Throws: ``ModelError/unknownScenarioID(operation:kind:id:suggestion:)`` for an id the
    ///   model does not have (with a close id as a suggestion, when there is one), and
    ///   ``ModelError/scenarioFirmRemoved(operation:firm:removedBy:)`` for a firm an earlier
    ///   operation removed.
    /// - Complexity: O(firms + links + regions × depth of a region, for each `without region`);
    ///   the firm ids are not rehashed (the firm table keeps the index it had and maps its
    ///   positions to the new ones). Looking for a suggestion
    ///   after an unknown id costs O(ids × length²) of that kind.
    public func apply(to model: ChainModel) throws(ModelError) -> ChainModel {
        guard !operations.isEmpty else { return model }
        let firmCount = model.firms.count
        var region = model.firms.regionIndex
        // The operation that removed each firm, or -1 while it is there.
        var removedBy = [Int32](repeating: -1, count: firmCount)
        var removedAny = false
        for (number, operation) in operations.enumerated() {
            func firm(_ id: String) throws(ModelError) -> Int {
                guard let firm = model.firms.index(of: id) else {
                    throw .unknownScenarioID(operation: operation.description, kind: .firm, id: id,
                        suggestion: IDSuggestion.closest(to: id, among: model.firms.ids))
                }
                let remover = removedBy[firm]
                guard remover < 0 else {
                    throw .scenarioFirmRemoved(operation: operation.description, firm: id,
                        removedBy: operations[Int(remover)].description)
                }
                return firm
            }
            func regionIndex(_ id: String) throws(ModelError) -> Int {
                guard let index = model.regions.index(of: id) else {
                    throw .unknownScenarioID(operation: operation.description, kind: .region, id: id,
                        suggestion: IDSuggestion.closest(to: id, among: model.regions.ids))
                }
                return index
            }
            switch operation {
            case .withoutFirm(let id):
                removedBy[try firm(id)] = Int32(number)
                removedAny = true
            case .withoutRegion(let id):
                let within = model.regions.withinFlags(scope: try regionIndex(id))
                for index in 0..<firmCount where removedBy[index] < 0 && within[Int(region[index])] {
                    removedBy[index] = Int32(number)
                    removedAny = true
                }
            case .relocate(let firmID, let regionID):
                let index = try firm(firmID)
                region[index] = Int32(try regionIndex(regionID))
            }
        }
        guard removedAny else {
            return model.replacingFirms(FirmTable(
                ids: model.firms.ids, names: model.firms.names, regionIndex: region, linkStart: model.firms.linkStart,
                sources: model.firms.sources, notes: model.firms.notes, attributes: model.firms.attributes,
                index: model.firms.index, indexRemap: model.firms.indexRemap))
        }
        return model.removingFirms(where: removedBy.map { $0 >= 0 }, regions: region)
    }
}

/// "Did you mean …?" for a mistyped id or name: the one rule for every message that suggests
/// one (scenario ids here; scopes, analyses, commands and `--option group` regions elsewhere).
public enum IDSuggestion {
    /// The known name closest to `name` by edit distance (insertions, deletions, substitutions
    /// and swaps of neighbours, case ignored), if it is at most a third of the name's length
    /// (at least 1, at most 3) away; or the single known name that starts with `name`. Ties go
    /// to the first in `candidates`.
    ///
    /// - Complexity: O(n · m) for each of the k candidates of length m within the distance
    ///   limit of the name's length n (the others are passed over by their length), plus O(k · n)
    ///   for the prefixes.
    public static func closest(to name: String, among candidates: [String]) -> String? {
        let lowered = Array(name.lowercased())
        let limit = min(3, max(1, lowered.count / 3))
        var best: (candidate: String, distance: Int)?
        for candidate in candidates where candidate != name {
            // A distance is at least the difference of the lengths (in UTF-8 bytes, up to 4 a character).
            guard abs(candidate.utf8.count - name.utf8.count) <= 4 * limit else { continue }
            let characters = Array(candidate.lowercased())
            guard abs(characters.count - lowered.count) <= limit else { continue }
            let distance = editDistance(lowered, characters)
            if distance <= limit, distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        if let best { return best.candidate }
        let prefix = name.lowercased()
        var extensions = candidates.lazy.filter { !prefix.isEmpty && $0.lowercased().hasPrefix(prefix) }.makeIterator()
        guard let only = extensions.next(), extensions.next() == nil else { return nil }
        return only
    }

    /// The optimal-string-alignment distance (Damerau–Levenshtein with adjacent swaps counted
    /// once, no substring edited twice), by dynamic programming over three rows.
    ///
    /// - Complexity: O(a · b).
    public static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previousPrevious[j - 2] + 1)
                }
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}

extension ChainModel {
    /// This model with another firm table of the same firms and links (regions changed).
    func replacingFirms(_ firms: FirmTable) -> ChainModel {
        ChainModel(
            id: id, title: title, home: home, regions: regions, segments: segments, components: components, firms: firms,
            supplies: supplies)
    }

    /// This model without the firms flagged in `removed` and their supply links; the firms left
    /// get the regions in `regions` (by old firm index).
    ///
    /// One sequential pass numbers the firms and links kept; then the firm columns, the link
    /// columns, the links of each component and the sparse columns are filled side by side on
    /// the cores (each writes its own arrays).
    ///
    /// - Complexity: O(firms + links + components).
    func removingFirms(where removed: [Bool], regions firmRegions: [Int32]) -> ChainModel {
        let oldFirmCount = firms.count
        // New numbers: firm f becomes newFirm[f] and link l newLink[l], or -1 when removed; links
        // keep their order, so a kept firm's links stay consecutive.
        var firmNumbers = [Int32](repeating: -1, count: oldFirmCount)
        var linkNumbers = [Int32](repeating: -1, count: supplies.count)
        var keptFirms = 0
        var keptLinks = 0
        for firm in 0..<oldFirmCount where !removed[firm] {
            firmNumbers[firm] = Int32(keptFirms)
            keptFirms += 1
            for link in firms.links(of: firm) {
                linkNumbers[link] = Int32(keptLinks)
                keptLinks += 1
            }
        }
        let newFirm = firmNumbers
        let newLink = linkNumbers
        let firmCount = keptFirms
        let linkCount = keptLinks
        let componentCount = components.count
        let old = self
        // Each job builds its arrays in local variables (fully optimised loops) and hands them
        // over once, at its end.
        let firmColumns = ResultSlot<([String], [String], [Int32], [Int32])>()
        let linkColumns = ResultSlot<([Int32], [Int32], [Double])>()
        let componentColumns = ResultSlot<([Int32], [Int32])>()
        let sparseColumns = ResultSlot<(SparseColumn<String>, SparseColumn<String>, AttributeTable,
            SparseColumn<String>, SparseColumn<String>, SparseColumn<String>, AttributeTable)>()
        let jobs: [@Sendable () -> Void] = [
            {
                var ids: [String] = []
                var names: [String] = []
                var regionIndex: [Int32] = []
                var linkStart: [Int32] = [0]
                ids.reserveCapacity(firmCount)
                names.reserveCapacity(firmCount)
                regionIndex.reserveCapacity(firmCount)
                linkStart.reserveCapacity(firmCount + 1)
                var links: Int32 = 0
                for firm in 0..<oldFirmCount where newFirm[firm] >= 0 {
                    ids.append(old.firms.ids[firm])
                    names.append(old.firms.names[firm])
                    regionIndex.append(firmRegions[firm])
                    links += Int32(old.firms.links(of: firm).count)
                    linkStart.append(links)
                }
                firmColumns.value = (ids, names, regionIndex, linkStart)
            },
            {
                var linkFirm = [Int32](repeating: 0, count: linkCount)
                var linkComponent = [Int32](repeating: 0, count: linkCount)
                var linkShare = [Double](repeating: 0, count: linkCount)
                for link in 0..<newLink.count where newLink[link] >= 0 {
                    let new = Int(newLink[link])
                    linkFirm[new] = newFirm[old.supplies.firm(of: link)]
                    linkComponent[new] = old.supplies.componentIndex[link]
                    linkShare[new] = old.supplies.shareValue[link]
                }
                linkColumns.value = (linkFirm, linkComponent, linkShare)
            },
            {
                // The links of each component, in the old link order, which the new numbering keeps.
                var componentLinkStart = [Int32](repeating: 0, count: componentCount + 1)
                var componentLinks: [Int32] = []
                componentLinks.reserveCapacity(linkCount)
                for component in 0..<componentCount {
                    for link in old.supplies.links(supplying: component) where newLink[Int(link)] >= 0 {
                        componentLinks.append(newLink[Int(link)])
                    }
                    componentLinkStart[component + 1] = Int32(componentLinks.count)
                }
                componentColumns.value = (componentLinkStart, componentLinks)
            },
            {
                sparseColumns.value = (
                    old.firms.sources.renumbered(by: newFirm), old.firms.notes.renumbered(by: newFirm),
                    old.firms.attributes.renumbered(by: newFirm), old.supplies.products.renumbered(by: newLink),
                    old.supplies.sources.renumbered(by: newLink), old.supplies.notes.renumbered(by: newLink),
                    old.supplies.attributes.renumbered(by: newLink))
            },
        ]
        DispatchQueue.concurrentPerform(iterations: jobs.count) { jobs[$0]() }
        let (ids, names, regionIndex, linkStart) = firmColumns.value!
        let (linkFirm, linkComponent, linkShare) = linkColumns.value!
        let (componentLinkStart, componentLinks) = componentColumns.value!
        let (firmSources, firmNotes, firmAttributes, products, linkSources, linkNotes, linkAttributes) = sparseColumns.value!
        let firmTable = FirmTable(
            ids: ids, names: names, regionIndex: regionIndex, linkStart: linkStart,
            sources: firmSources, notes: firmNotes, attributes: firmAttributes, index: firms.index,
            indexRemap: firms.indexRemap.map { remap in
                (remap.ids, remap.positions.map { $0 < 0 ? -1 : newFirm[Int($0)] })
            } ?? (firms.ids, newFirm))
        let supplyTable = SupplyTable(
            firmIndex: linkFirm, componentIndex: linkComponent, shareValue: linkShare, componentLinkStart: componentLinkStart,
            componentLinks: componentLinks, products: products, sources: linkSources, notes: linkNotes,
            attributes: linkAttributes)
        return ChainModel(
            id: id, title: title, home: home, regions: regions, segments: segments, components: components, firms: firmTable,
            supplies: supplyTable)
    }
}

/// A value one job of a `concurrentPerform` sets once, read after all jobs are done.
private final class ResultSlot<Value>: @unchecked Sendable {
    var value: Value?
}

extension AttributeTable {
    /// The table with elements renumbered as ``SparseColumn/renumbered(by:)`` does: the
    /// attributes of a removed element (-1) are dropped.
    func renumbered(by newIndex: [Int32]) -> AttributeTable {
        mapColumns { $0.renumbered(by: newIndex) }
    }
}

extension SparseColumn {
    /// The column with elements renumbered: element `i` becomes `newIndex[i]`, or is dropped
    /// where that is -1. The new numbers must increase with the old ones.
    func renumbered(by newIndex: [Int32]) -> SparseColumn {
        guard !values.isEmpty else { return self }
        var result = SparseColumn()
        for (position, index) in indices.enumerated() where newIndex[Int(index)] >= 0 {
            result.append(values[position], at: Int(newIndex[Int(index)]))
        }
        return result
    }
}
