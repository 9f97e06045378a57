/// FNV-1a, 64-bit, over values each followed by U+001F — the hash plugins key content by (duplicate
/// fingerprints and blocks, review-sheet pair keys). A number counts as its decimal digits, so
/// `add(1962)` hashes as `add("1962")` (pair keys filed in earlier review sheets still match).
public struct FNV: Sendable {
    public private(set) var value: UInt64 = 0xcbf29ce484222325

    public init() {}

    public mutating func byte(_ b: UInt8) { value = (value ^ UInt64(b)) &* 0x100000001b3 }

    public mutating func add(_ s: String) {
        var s = s
        s.withUTF8 { for b in $0 { byte(b) } }
        byte(0x1F)
    }

    /// A value given as its UTF-8 bytes: the same hash as `add` of the string they spell.
    public mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
        for b in bytes { byte(b) }
        byte(0x1F)
    }

    /// Unicode scalar values, each taken as one unit.
    public mutating func add(scalars: [UInt32]) {
        for s in scalars { value = (value ^ UInt64(s)) &* 0x100000001b3 }
        byte(0x1F)
    }

    public mutating func add(_ n: Int) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var v = n.magnitude, k = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat { d[k] = UInt8(48 + v % 10); v /= 10; k += 1 } while v > 0
            if n < 0 { byte(0x2D) }
            while k > 0 { k -= 1; byte(d[k]) }
        }
        byte(0x1F)
    }
}
