import Foundation

/// Distinct byte strings, each numbered in the order first inserted — the index a per-cell lookup
/// over millions of values needs (an ID number's other rows, a unique field's first row, a kept
/// row by value). Swift's `Dictionary` keyed by a `String` costs a SipHash and, for a value longer
/// than 15 bytes, a pointer chase per probe; here the bytes lie end to end in one array, a slot is
/// one word — the entry number and the high half of the value's FNV-1a hash — and a probe reads the
/// bytes only when those match (a lookup touches about three cache lines). Open addressing, linear
/// probing, at most half full; values of one hash are told apart by their bytes.
public struct ByteIndex: Sendable {
    private var arena: [UInt8] = []
    /// Where each entry's bytes start in `arena` (and end: the next entry's start).
    private var starts: [Int] = [0]
    /// Per slot: the hash's high 32 bits << 32 | entry + 1 (0: empty).
    private var slots: [UInt64]
    /// Per entry, its whole hash: growing places each entry again without reading its bytes.
    private var entryHashes: [UInt64] = []

    public init(capacity: Int = 1024) {
        var n = 1024
        while n < capacity * 2 { n <<= 1 }
        slots = Array(repeating: 0, count: n)
        if capacity > 1024 { entryHashes.reserveCapacity(capacity); starts.reserveCapacity(capacity + 1) }
    }

    /// How many distinct values are held.
    public var count: Int { starts.count - 1 }

    /// The bytes of entry `e`.
    public func bytes(_ e: Int) -> ArraySlice<UInt8> { arena[starts[e]..<starts[e + 1]] }

    /// The entry of these bytes, if held.
    public func find(_ v: UnsafeRawBufferPointer) -> Int? {
        let h = Self.hash(v)
        var i = slot(h)
        while slots[i] != 0 {
            let s = slots[i]
            if s >> 32 == h >> 32, same(Int(s & 0xFFFF_FFFF) - 1, v) { return Int(s & 0xFFFF_FFFF) - 1 }
            i = (i + 1) & (slots.count - 1)
        }
        return nil
    }

    public func find(_ s: String) -> Int? {
        var s = s
        return s.withUTF8 { find(UnsafeRawBufferPointer($0)) }
    }

    /// The entry of these bytes, and whether it is new (numbered `count - 1`).
    public mutating func insert(_ v: UnsafeRawBufferPointer) -> (entry: Int, new: Bool) {
        let h = Self.hash(v)
        var i = slot(h)
        while slots[i] != 0 {
            let s = slots[i]
            if s >> 32 == h >> 32, same(Int(s & 0xFFFF_FFFF) - 1, v) { return (Int(s & 0xFFFF_FFFF) - 1, false) }
            i = (i + 1) & (slots.count - 1)
        }
        arena.append(contentsOf: v)
        starts.append(arena.count)
        entryHashes.append(h)
        let e = count - 1
        precondition(e < 0xFFFF_FFFE, "ByteIndex holds fewer than 2^32 - 1 values")
        slots[i] = h & 0xFFFF_FFFF_0000_0000 | UInt64(e + 1)
        if count * 2 > slots.count { grow() }
        return (e, true)
    }

    public mutating func insert(_ s: String) -> (entry: Int, new: Bool) {
        var s = s
        return s.withUTF8 { insert(UnsafeRawBufferPointer($0)) }
    }

    @inline(__always)
    private static func hash(_ v: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in v { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return h
    }

    @inline(__always)
    private func slot(_ h: UInt64) -> Int { Int(truncatingIfNeeded: (h ^ (h >> 29)) & UInt64(slots.count - 1)) }

    @inline(__always)
    private func same(_ e: Int, _ v: UnsafeRawBufferPointer) -> Bool {
        let start = starts[e], n = starts[e + 1] - start
        guard n == v.count else { return false }
        if n == 0 { return true }
        return arena.withUnsafeBytes { memcmp($0.baseAddress! + start, v.baseAddress!, n) == 0 }
    }

    /// Twice the slots, each entry placed again by its hash.
    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        for (k, h) in entryHashes.enumerated() {
            var i = slot(h)
            while slots[i] != 0 { i = (i + 1) & (slots.count - 1) }
            slots[i] = h & 0xFFFF_FFFF_0000_0000 | UInt64(k + 1)
        }
    }
}
