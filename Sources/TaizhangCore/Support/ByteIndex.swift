import Foundation

/// Distinct byte strings, each numbered in the order first inserted and carrying one `Int32` of
/// its owner's (a row, a list) — the index a per-cell lookup over millions of values needs (an ID
/// number's rows, a unique field's first row, a person by name). Swift's `Dictionary` keyed by a
/// `String` costs a SipHash and, for a value longer than 15 bytes, a pointer chase per probe, and
/// keeps keys and values apart. Here each value is one record in one array — its number, its
/// `Int32`, its length, its bytes — and a slot is one word: the record's place and the top of the
/// value's FNV-1a hash. A lookup reads one slot and one record (two cache misses on a table too
/// large for the cache); the bytes are compared only when the hash's top matches. Open addressing,
/// linear probing, at most half full; values of one hash are told apart by their bytes.
public struct ByteIndex: Sendable {
    /// The records, end to end: entry (Int32), value (Int32), length (Int32), the bytes.
    private var arena: [UInt8] = []
    /// Per entry: where its record starts, and its whole hash (growing places entries again by it).
    private var starts: [Int] = []
    private var hashes: [UInt64] = []
    /// Per slot: the hash's top 24 bits << 40 | the record's start + 1 (0: empty).
    private var slots: [UInt64]
    private static let header = 12, placeBits: UInt64 = 0xFF_FFFF_FFFF

    public init(capacity: Int = 1024) {
        var n = 1024
        while n < capacity * 2 { n <<= 1 }
        slots = Array(repeating: 0, count: n)
        if capacity > 1024 { starts.reserveCapacity(capacity); hashes.reserveCapacity(capacity) }
    }

    /// How many distinct values are held.
    public var count: Int { starts.count }

    /// The bytes of entry `e`.
    public func bytes(_ e: Int) -> ArraySlice<UInt8> {
        let s = starts[e]
        return arena[(s + Self.header)..<(s + Self.header + Int(field(s, 8)))]
    }

    /// The `Int32` entry `e` carries (0 until set).
    public func value(_ e: Int) -> Int32 { field(starts[e], 4) }

    public mutating func setValue(_ v: Int32, of e: Int) {
        let s = starts[e]
        arena.withUnsafeMutableBytes { $0.storeBytes(of: v, toByteOffset: s + 4, as: Int32.self) }
    }

    /// The entry of these bytes and the value it carries, if held.
    public func find(_ v: UnsafeRawBufferPointer) -> (entry: Int, value: Int32)? {
        let (_, _, start) = probe(v)
        return start.map { (Int(field($0, 0)), field($0, 4)) }
    }

    /// Where the bytes' record starts, if held, else the empty slot they would take; and their hash.
    @inline(__always)
    private func probe(_ v: UnsafeRawBufferPointer) -> (hash: UInt64, slot: Int, start: Int?) {
        let h = Self.hash(v)
        var i = slot(h)
        while slots[i] != 0 {
            let s = slots[i]
            if s >> 40 == h >> 40 {
                let start = Int(s & Self.placeBits) - 1
                if same(start, v) { return (h, i, start) }
            }
            i = (i + 1) & (slots.count - 1)
        }
        return (h, i, nil)
    }

    public func find(_ s: String) -> (entry: Int, value: Int32)? {
        var s = s
        return s.withUTF8 { find(UnsafeRawBufferPointer($0)) }
    }

    /// The entry of these bytes, and whether it is new (numbered `count - 1`, carrying `value`).
    public mutating func insert(_ v: UnsafeRawBufferPointer, value: Int32 = 0) -> (entry: Int, new: Bool) {
        let (h, i, held) = probe(v)
        if let held { return (Int(field(held, 0)), false) }
        let e = count, start = arena.count
        precondition(e < Int32.max && start < Int(Self.placeBits) - 1, "ByteIndex: too many values")
        withUnsafeBytes(of: (Int32(e), value, Int32(v.count))) { arena.append(contentsOf: $0) }
        arena.append(contentsOf: v)
        starts.append(start)
        hashes.append(h)
        slots[i] = h & ~Self.placeBits | UInt64(start + 1)
        if count * 2 > slots.count { grow() }
        return (e, true)
    }

    public mutating func insert(_ s: String, value: Int32 = 0) -> (entry: Int, new: Bool) {
        var s = s
        return s.withUTF8 { insert(UnsafeRawBufferPointer($0), value: value) }
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
    private func field(_ start: Int, _ offset: Int) -> Int32 {
        arena.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: start + offset, as: Int32.self) }
    }

    @inline(__always)
    private func same(_ start: Int, _ v: UnsafeRawBufferPointer) -> Bool {
        arena.withUnsafeBytes { a in
            let n = Int(a.loadUnaligned(fromByteOffset: start + 8, as: Int32.self))
            return n == v.count && (n == 0 || memcmp(a.baseAddress! + start + Self.header, v.baseAddress!, n) == 0)
        }
    }

    /// Twice the slots, each entry placed again by its hash.
    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        for (e, h) in hashes.enumerated() {
            var i = slot(h)
            while slots[i] != 0 { i = (i + 1) & (slots.count - 1) }
            slots[i] = h & ~Self.placeBits | UInt64(starts[e] + 1)
        }
    }
}

/// Rows by value: each distinct byte string with the rows that have it, in the order added — a
/// `ByteIndex` whose entries carry their one row, or a list for the few values of several rows.
public struct RowIndex: Sendable {
    private var values: ByteIndex
    private var several: [[Int32]] = []

    public init(capacity: Int = 1024) { values = ByteIndex(capacity: capacity) }

    /// Adds `row` under the value (once: a row already there is not added again); true when the
    /// value is new.
    @discardableResult
    public mutating func add(_ v: UnsafeRawBufferPointer, row: Int32) -> Bool {
        let (e, new) = values.insert(v, value: row)
        if new { return true }
        let known = values.value(e)
        if known >= 0 {
            if known != row { several.append([known, row]); values.setValue(-Int32(several.count), of: e) }   // -(its list) - 1
        } else if !several[Int(-known - 1)].contains(row) {
            several[Int(-known - 1)].append(row)
        }
        return false
    }

    @discardableResult
    public mutating func add(_ s: String, row: Int32) -> Bool {
        var s = s
        return s.withUTF8 { add(UnsafeRawBufferPointer($0), row: row) }
    }

    /// The rows of the value, in the order added.
    public func rows(_ v: UnsafeRawBufferPointer) -> Found {
        guard let r = values.find(v)?.value else { return Found(one: -1, several: []) }
        return r >= 0 ? Found(one: r, several: []) : Found(one: -1, several: several[Int(-r - 1)])
    }

    public func rows(_ s: String) -> Found {
        var s = s
        return s.withUTF8 { rows(UnsafeRawBufferPointer($0)) }
    }

    /// Rows found: most values have one row, held without an array of its own (3M visits look up 1M people).
    public struct Found: RandomAccessCollection, Sendable {
        fileprivate let one: Int32
        fileprivate let several: [Int32]
        public var startIndex: Int { 0 }
        public var endIndex: Int { one >= 0 ? 1 : several.count }
        public subscript(i: Int) -> Int {
            precondition(i >= 0 && i < endIndex, "RowIndex.Found: index out of range")
            return one >= 0 ? Int(one) : Int(several[i])
        }
    }
}
