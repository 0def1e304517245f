/// An open-addressing hash index from ids to their positions in an array of ids.
///
/// Linear probing over a power-of-two table of `Int32` positions, at most half full; ids are
/// hashed over their UTF-8 bytes, eight at a time. It stores no strings of its own: lookups
/// compare against the id array they were built from.
///
/// - Complexity: building is O(n) expected; a lookup is O(length of the id) expected.
struct IDIndex: Sendable {
    private var slots: [Int32]
    private var mask: Int

    /// An index of `ids`. An id that repeats an earlier one is not indexed; it is reported in
    /// `duplicates` as (its position, the first position).
    init(_ ids: [String], duplicates: inout [(duplicate: Int, first: Int)]) {
        var capacity = 8
        while capacity < ids.count * 2 { capacity <<= 1 }
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        for position in ids.indices {
            var id = ids[position]
            let hash = id.withUTF8 { Self.hash($0) }
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let existing = slots[slot]
                if existing < 0 {
                    slots[slot] = Int32(position)
                    break
                }
                if ids[Int(existing)] == id {
                    duplicates.append((position, Int(existing)))
                    break
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// An index of ids known to be unique.
    init(uniqueIDs ids: [String]) {
        var duplicates: [(duplicate: Int, first: Int)] = []
        self.init(ids, duplicates: &duplicates)
    }

    /// The position of `id` in `ids` (the array this index was built from).
    func find(_ id: String, in ids: [String]) -> Int? {
        var id = id
        let hash = id.withUTF8 { Self.hash($0) }
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let existing = slots[slot]
            if existing < 0 { return nil }
            if ids[Int(existing)] == id { return Int(existing) }
            slot = (slot + 1) & mask
        }
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
