/// An optional value per element, stored only where present (sources, notes, products are rare
/// in large registries, and a `String?` per element would cost 16 bytes each).
public struct SparseColumn<Value: Sendable & Equatable>: Sendable, Equatable {
    @usableFromInline var indices: [Int32] = []
    @usableFromInline var values: [Value] = []

    public init() {}

    /// The number of elements that have a value.
    public var count: Int { values.count }

    /// The value of element `index`, if it has one.
    ///
    /// - Complexity: O(log n) in the number of stored values.
    public subscript(index: Int) -> Value? {
        var low = 0
        var high = indices.count
        let key = Int32(index)
        while low < high {
            let middle = (low + high) / 2
            if indices[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low < indices.count && indices[low] == key ? values[low] : nil
    }

    /// Appends a value for an element after every element stored so far.
    mutating func append(_ value: Value, at index: Int) {
        precondition(indices.last.map { $0 < Int32(index) } ?? true, "SparseColumn appends must increase")
        indices.append(Int32(index))
        values.append(value)
    }

    /// Reorders a column: element `newIndex` takes the value of element `order[newIndex]`.
    func permuted(by order: [Int32]) -> SparseColumn {
        guard !values.isEmpty else { return self }
        var result = SparseColumn()
        for (newIndex, oldIndex) in order.enumerated() {
            if let value = self[Int(oldIndex)] { result.append(value, at: newIndex) }
        }
        return result
    }
}
