import Synchronization

/// How far a load has got, for a progress display. The loader adds to it from any thread; a
/// display reads it from another.
public final class LoadProgress: Sendable {
    private let processed = Atomic<Int>(0)
    private let total = Atomic<Int>(0)

    public init() {}

    /// Bytes of the model's files parsed so far.
    public var processedBytes: Int { processed.load(ordering: .relaxed) }

    /// Bytes of the model's files in all (known once they are read).
    public var totalBytes: Int { total.load(ordering: .relaxed) }

    func addProcessed(_ bytes: Int) {
        processed.add(bytes, ordering: .relaxed)
    }

    func addTotal(_ bytes: Int) {
        total.add(bytes, ordering: .relaxed)
    }
}
