#if canImport(Glibc)
import Glibc
#endif

/// An array of plain values that grows in place: `realloc`, which for a large block (glibc maps
/// those on their own) moves its pages with `mremap` instead of copying them. Swift's `Array`
/// doubles by allocating anew and copying, so for a moment the old and the new copy are both
/// resident: for a million persons' records (80 MB) that moment was the run's peak. A reference:
/// one owner appends and reads it; it is not shared between threads.
public final class GrowingArray<Element: BitwiseCopyable> {
    // Unchecked exclusivity: see docs/ARCHITECTURE.md, *Exclusivity*.
    @exclusivity(unchecked) private var base: UnsafeMutablePointer<Element>? = nil
    @exclusivity(unchecked) public private(set) var count = 0
    @exclusivity(unchecked) private var capacity = 0

    public init() {}

    deinit { free(base) }

    public var isEmpty: Bool { count == 0 }
    public var indices: Range<Int> { 0..<count }

    @inline(__always)
    public func append(_ value: Element) {
        if count == capacity { grow() }
        (base! + count).initialize(to: value)
        count += 1
    }

    public func append(contentsOf values: UnsafeBufferPointer<Element>) {
        guard !values.isEmpty else { return }
        while count + values.count > capacity { grow() }
        if let from = values.baseAddress { (base! + count).initialize(from: from, count: values.count) }
        count += values.count
    }

    @inline(__always)
    public subscript(i: Int) -> Element {
        get {
            precondition(i >= 0 && i < count, "GrowingArray: index out of range")
            return base![i]
        }
        set {
            precondition(i >= 0 && i < count, "GrowingArray: index out of range")
            base![i] = newValue
        }
    }

    /// The values in place (valid only inside `body`: an append may move them).
    @inline(__always)
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    private func grow() {
        let more = max(1024, capacity * 2)
        guard let p = realloc(base, more * MemoryLayout<Element>.stride) else { fatalError("GrowingArray: out of memory") }
        base = p.bindMemory(to: Element.self, capacity: more)
        capacity = more
    }
}
