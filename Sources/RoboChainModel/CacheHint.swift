import CPrefetch

/// Hints to the processor's cache, for analyses that read columns larger than the cache at
/// random (a model's firms or components in the order of a ranking, say).
///
/// Reading element `i` of a column of millions waits for memory, about a tenth of a
/// microsecond; asking for it a few steps of a loop ahead lets those waits overlap. A hint
/// never changes a result, and an index out of bounds is ignored.
public enum CacheHint {
    /// Asks for the cache line that holds `array[index]`, without waiting for it.
    ///
    /// - Complexity: O(1).
    @inlinable
    public static func prefetch<Element>(_ array: [Element], at index: Int) {
        guard index >= 0 && index < array.count else { return }
        array.withUnsafeBufferPointer { robochain_prefetch($0.baseAddress! + index) }
    }

    /// Asks for the cache line at `address`, without waiting for it: for loops over a buffer
    /// they already hold. Any address may be given; nothing is read.
    ///
    /// - Complexity: O(1).
    @inlinable
    public static func prefetch(_ address: UnsafeRawPointer) {
        robochain_prefetch(address)
    }

    /// Asks for what ``SupplyTable/supplierCount(of:)`` and ``SupplyTable/links(supplying:)``
    /// read first for `component`.
    ///
    /// - Complexity: O(1).
    @inlinable
    public static func prefetchSuppliers(of component: Int, in supplies: SupplyTable) {
        prefetch(supplies.componentLinkStart, at: component)
    }

    /// Asks for what ``ComponentTable/parents(of:)`` and ``ComponentTable/isLeaf(_:)`` read
    /// first for `component`.
    ///
    /// - Complexity: O(1).
    @inlinable
    public static func prefetchStructure(of component: Int, in components: ComponentTable) {
        prefetch(components.parentStart, at: component)
        prefetch(components.requirementStart, at: component)
    }

    /// Asks for the first elements of `slice` (a component's parents, say), once its bounds
    /// are in the cache.
    ///
    /// - Complexity: O(1).
    @inlinable
    public static func prefetch<Element>(_ slice: ArraySlice<Element>) {
        slice.withUnsafeBufferPointer { buffer in
            if let address = buffer.baseAddress, !buffer.isEmpty { robochain_prefetch(address) }
        }
    }
}
