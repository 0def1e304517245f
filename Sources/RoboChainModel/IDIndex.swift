import CPrefetch

/// An open-addressing hash index from ids to their positions.
///
/// Linear probing over a table sized from the number of ids up front (any size, not a power of
/// two: the hash's high bits are scaled to it), at most two-thirds full, so that a million ids
/// take 23 MiB rather than the 32 MiB of a half-full power of two, and fewer pages and cache
/// lines are touched; ids are hashed over their UTF-8 bytes, eight at a time. Each 16-byte slot
/// holds the position, 28 more bits of the hash (independent of those choosing the slot),
/// the id's length (up to 15) and its first eight bytes. So a probe compares ids only when those
/// agree, and an id of at most eight bytes is recognised from the slot alone, without touching
/// the id itself: with a million ids spread over a large file, that saves a cache miss per
/// look-up. The index stores no ids of its own: a look-up of a longer id is given a test that
/// compares it with the id at a position, so the same index serves ids held as `String`s and
/// ids still in the bytes of a file being read.
///
/// - Complexity: an insertion or a look-up is O(length of the id), expected.
struct IDIndex: Sendable {
    /// Two words per slot: the id's first eight bytes (zero-padded), then tag, length and
    /// position + 1 (0: empty).
    private var slots: [UInt64]
    /// The number of slots.
    private var capacity: Int

    /// An id's key: what a slot holds of it.
    struct Key {
        /// The hash, whose low bits choose the first slot to probe.
        var hash: UInt64
        var prefix: UInt64
        /// Hash bits 0–27 in bits 36–63, length (capped at 15) in bits 32–35.
        var tag: UInt64
        /// Whether the prefix is the whole id.
        var isShort: Bool
    }

    /// An empty index with room for `count` ids.
    init(capacity count: Int) {
        capacity = max(8, count + count / 2 + 1)
        slots = [UInt64](repeating: 0, count: capacity * 2)
    }

    /// The first slot to probe for a hash: its high bits scaled to the table (Lemire's
    /// multiply-shift, 2019), so any table size is uniform.
    @inline(__always)
    private func home(_ hash: UInt64) -> Int {
        Int(truncatingIfNeeded: hash.multipliedFullWidth(by: UInt64(truncatingIfNeeded: capacity)).high)
    }

    /// Asks for the cache line of a key's first slot, so that a look-up or an insertion a few
    /// steps later finds it there: batched look-ups overlap their cache misses this way.
    @inline(__always)
    func prefetch(_ key: Key) {
        slots.withUnsafeBufferPointer { buffer in
            robochain_prefetch(buffer.baseAddress! + 2 * home(key.hash))
        }
    }

    /// An index of `ids`. An id that repeats an earlier one is not indexed; it is reported in
    /// `duplicates` as (its position, the first position).
    init(_ ids: [String], duplicates: inout [(duplicate: Int, first: Int)]) {
        self.init(capacity: ids.count)
        for position in ids.indices {
            var id = ids[position]
            let key = id.withUTF8 { Self.key($0) }
            if let first = insert(Int32(position), key: key, matches: { ids[Int($0)] == id }) {
                duplicates.append((position, Int(first)))
            }
        }
    }

    /// An index of ids known to be unique.
    init(uniqueIDs ids: [String]) {
        var duplicates: [(duplicate: Int, first: Int)] = []
        self.init(ids, duplicates: &duplicates)
    }

    /// The key of an id's bytes.
    @inline(__always)
    static func key(_ bytes: UnsafeBufferPointer<UInt8>) -> Key {
        let hash = Self.hash(bytes)
        var prefix: UInt64 = 0
        let count = bytes.count
        if let base = bytes.baseAddress {
            for offset in 0..<min(count, 8) { prefix |= UInt64(base[offset]) << UInt64(offset * 8) }
        }
        return Key(hash: hash, prefix: prefix, tag: (hash & 0x0FFF_FFFF) << 36 | UInt64(min(count, 15)) << 32, isShort: count <= 8)
    }

    /// Adds `position` unless an equal id is indexed already; then returns that one's position.
    /// The index must have been made with room for every position added (it does not grow).
    ///
    /// - Parameters:
    ///   - position: The new id's position.
    ///   - key: ``key(_:)`` of its bytes.
    ///   - matches: Whether the id at a position equals the new one (asked only of longer ids).
    @inline(__always)
    mutating func insert(_ position: Int32, key: Key, matches: (Int32) -> Bool) -> Int32? {
        // At most two-thirds full: probes stay short, and an empty slot always ends them.
        precondition(Int(position) * 3 < slots.count, "IDIndex made too small")
        var slot = home(key.hash)
        let capacity = self.capacity
        return slots.withUnsafeMutableBufferPointer { slots in
            while true {
                let entry = slots[2 * slot + 1]
                if entry == 0 {
                    slots[2 * slot] = key.prefix
                    slots[2 * slot + 1] = key.tag | UInt64(UInt32(position) + 1)
                    return nil
                }
                if entry & 0xFFFF_FFFF_0000_0000 == key.tag && slots[2 * slot] == key.prefix {
                    let existing = Int32(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                    if key.isShort || matches(existing) { return existing }
                }
                slot += 1
                if slot == capacity { slot = 0 }
            }
        }
    }

    /// The position of the id with this key that `matches` accepts (asked only of longer ids).
    @inline(__always)
    func find(key: Key, matches: (Int32) -> Bool) -> Int32? {
        var slot = home(key.hash)
        let capacity = self.capacity
        return slots.withUnsafeBufferPointer { slots in
            while true {
                let entry = slots[2 * slot + 1]
                if entry == 0 { return nil }
                if entry & 0xFFFF_FFFF_0000_0000 == key.tag && slots[2 * slot] == key.prefix {
                    let existing = Int32(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                    if key.isShort || matches(existing) { return existing }
                }
                slot += 1
                if slot == capacity { slot = 0 }
            }
        }
    }

    /// The position of `id` in `ids` (the array this index was built from).
    func find(_ id: String, in ids: [String]) -> Int? {
        var id = id
        let key = id.withUTF8 { Self.key($0) }
        return find(key: key) { ids[Int($0)] == id }.map(Int.init)
    }

    /// A 64-bit hash of bytes: multiply-xorshift over 8-byte words, then a final avalanche.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        guard let base = bytes.baseAddress else { return finalize(hash) }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 <= bytes.count {
            let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            offset += 8
        }
        if offset < bytes.count {
            var word: UInt64 = 0
            var shift: UInt64 = 0
            while offset < bytes.count {
                word |= UInt64(base[offset]) << shift
                shift += 8
                offset += 1
            }
            hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
        }
        return finalize(hash)
    }

    @inline(__always)
    private static func finalize(_ value: UInt64) -> UInt64 {
        var hash = value
        hash ^= hash >> 33
        hash = hash &* 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 33
        hash = hash &* 0xC4CE_B9FE_1A85_EC53
        hash ^= hash >> 33
        return hash
    }
}
