/// An open-addressing hash index from ids to their positions.
///
/// Linear probing over a power-of-two table, at most half full; ids are hashed over their UTF-8
/// bytes, eight at a time. Each slot holds a position and 32 more bits of the hash, so a probe
/// compares ids only when those bits agree (ids are rarely touched on a miss, which matters
/// when a million of them are spread over a large file). It stores no ids of its own: a lookup
/// is given a test that compares the id sought with the id at a position, so the same index
/// serves ids held as `String`s and ids still in the bytes of a file being read.
///
/// - Complexity: an insertion or a lookup is O(length of the id), expected.
struct IDIndex: Sendable {
    /// 0 for an empty slot, else the hash's upper 32 bits above position + 1.
    private var slots: [UInt64]
    private var mask: Int

    /// An empty index with room for `count` ids.
    init(capacity count: Int) {
        var capacity = 8
        while capacity < count * 2 { capacity <<= 1 }
        slots = [UInt64](repeating: 0, count: capacity)
        mask = capacity - 1
    }

    @inline(__always)
    private static func tag(_ hash: UInt64) -> UInt64 { hash & 0xFFFF_FFFF_0000_0000 }

    /// An index of `ids`. An id that repeats an earlier one is not indexed; it is reported in
    /// `duplicates` as (its position, the first position).
    init(_ ids: [String], duplicates: inout [(duplicate: Int, first: Int)]) {
        self.init(capacity: ids.count)
        for position in ids.indices {
            var id = ids[position]
            let hash = id.withUTF8 { Self.hash($0) }
            if let first = insert(Int32(position), hash: hash, matches: { ids[Int($0)] == id }) {
                duplicates.append((position, Int(first)))
            }
        }
    }

    /// An index of ids known to be unique.
    init(uniqueIDs ids: [String]) {
        var duplicates: [(duplicate: Int, first: Int)] = []
        self.init(ids, duplicates: &duplicates)
    }

    /// Adds `position` unless an equal id is indexed already; then returns that one's position.
    /// The index must have been made with room for every position added (it does not grow).
    ///
    /// - Parameters:
    ///   - position: The new id's position.
    ///   - hash: ``hash(_:)`` of its bytes.
    ///   - matches: Whether the id at a position equals the new one.
    @inline(__always)
    mutating func insert(_ position: Int32, hash: UInt64, matches: (Int32) -> Bool) -> Int32? {
        precondition(Int(position) * 2 < slots.count, "IDIndex made too small")
        let tag = Self.tag(hash)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 {
                slots[slot] = tag | UInt64(UInt32(position) + 1)
                return nil
            }
            if entry & 0xFFFF_FFFF_0000_0000 == tag {
                let existing = Int32(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                if matches(existing) { return existing }
            }
            slot = (slot + 1) & mask
        }
    }

    /// The position of the id with this hash that `matches` accepts.
    @inline(__always)
    func find(hash: UInt64, matches: (Int32) -> Bool) -> Int32? {
        let tag = Self.tag(hash)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            if entry & 0xFFFF_FFFF_0000_0000 == tag {
                let existing = Int32(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                if matches(existing) { return existing }
            }
            slot = (slot + 1) & mask
        }
    }

    /// The position of `id` in `ids` (the array this index was built from).
    func find(_ id: String, in ids: [String]) -> Int? {
        var id = id
        let hash = id.withUTF8 { Self.hash($0) }
        return find(hash: hash) { ids[Int($0)] == id }.map(Int.init)
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
