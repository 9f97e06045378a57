/// Numbers (an ID number as a number, a hash) to an `Int32` each — the per-record lookup of the
/// identity and matching steps, millions of times a run. Swift's `Dictionary` hashes each key with
/// SipHash and keeps keys and values in separate arrays (two cache misses a lookup on a table too
/// large for the cache); here a slot is three words, the key's two halves and the value, side by
/// side (one miss), and the key is spread by a multiply. Open addressing, linear probing, at most
/// three quarters full. The key `UInt64.max` is kept beside the table (it marks an empty slot).
public struct NumberIndex: Sendable {
    /// Per slot: key low, key high, value.
    private var words: [UInt32]
    private var mask: Int
    public private(set) var count = 0
    private var maxKeyValue: Int32?
    private static let empty = UInt64.max

    public init(capacity: Int = 1024) {
        var n = 1024
        while n * 3 < capacity * 4 { n <<= 1 }
        words = Array(repeating: UInt32.max, count: n * 3)
        mask = n - 1
    }

    /// Fibonacci hashing: the top bits of the key times 2^64/φ (keys alike in their low bits, or in
    /// their high bits, still spread over the table).
    @inline(__always)
    private func slot(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> UInt64((mask + 1).leadingZeroBitCount + 1))
    }

    @inline(__always)
    private static func key(_ w: UnsafeBufferPointer<UInt32>, _ i: Int) -> UInt64 { UInt64(w[3 * i]) | UInt64(w[3 * i + 1]) << 32 }

    /// The value of `key`, if held.
    public subscript(key: UInt64) -> Int32? {
        if key == Self.empty { return maxKeyValue }
        var i = slot(key)
        return words.withUnsafeBufferPointer { w in
            while true {
                let k = Self.key(w, i)
                if k == key { return Int32(bitPattern: w[3 * i + 2]) }
                if k == Self.empty { return nil }
                i = (i + 1) & mask
            }
        }
    }

    /// Sets `key`'s value; returns the value it had, if any.
    @discardableResult
    public mutating func updateValue(_ value: Int32, forKey key: UInt64) -> Int32? {
        if key == Self.empty {
            defer { maxKeyValue = value }
            if maxKeyValue == nil { count += 1 }
            return maxKeyValue
        }
        if (count + 1) * 4 > (mask + 1) * 3 { grow() }
        let m = mask, start = slot(key)
        let (old, added): (Int32?, Bool) = words.withUnsafeMutableBufferPointer { w in
            var i = start
            while true {
                let k = UInt64(w[3 * i]) | UInt64(w[3 * i + 1]) << 32
                if k == key {
                    let old = Int32(bitPattern: w[3 * i + 2])
                    w[3 * i + 2] = UInt32(bitPattern: value)
                    return (old, false)
                }
                if k == Self.empty {
                    w[3 * i] = UInt32(truncatingIfNeeded: key)
                    w[3 * i + 1] = UInt32(truncatingIfNeeded: key >> 32)
                    w[3 * i + 2] = UInt32(bitPattern: value)
                    return (nil, true)
                }
                i = (i + 1) & m
            }
        }
        if added { count += 1 }
        return old
    }

    /// Every key and its value, in no particular order.
    public func forEach(_ body: (UInt64, Int32) -> Void) {
        words.withUnsafeBufferPointer { w in
            for i in 0...mask where Self.key(w, i) != Self.empty { body(Self.key(w, i), Int32(bitPattern: w[3 * i + 2])) }
        }
        if let v = maxKeyValue { body(Self.empty, v) }
    }

    private mutating func grow() {
        var bigger = NumberIndex(capacity: 0)
        bigger.words = Array(repeating: UInt32.max, count: (mask + 1) * 6)
        bigger.mask = (mask + 1) * 2 - 1
        forEach { k, v in if k != Self.empty { bigger.updateValue(v, forKey: k) } }
        bigger.maxKeyValue = maxKeyValue
        bigger.count = count
        self = bigger
    }
}
