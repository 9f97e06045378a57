#if canImport(Glibc)
import Glibc
#endif

/// An array of `count` copies of `value` whose memory the kernel backs with 2 MB pages when it can
/// (`madvise(MADV_HUGEPAGE)` before the array fills it — the pages it faults in then are huge; memory
/// the allocator hands back from earlier use keeps its small pages, and is only advised). For the big tables probed at random — an index
/// of a million ID numbers — each probe otherwise costs a TLB miss besides the cache miss, and on a
/// virtual machine a TLB miss walks two page tables. Small arrays are made as usual.
public func largeArray<T: BitwiseCopyable>(repeating value: T, count: Int) -> [T] {
    let bytes = count * MemoryLayout<T>.stride
    guard bytes >= 4 << 20 else { return Array(repeating: value, count: count) }
    return Array(unsafeUninitializedCapacity: count) { buffer, initialized in
        #if canImport(Glibc)
        if let base = buffer.baseAddress {
            let huge = 2 << 20
            let start = (Int(bitPattern: base) + huge - 1) & ~(huge - 1)
            let end = (Int(bitPattern: base) + bytes) & ~(huge - 1)
            if end > start { _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_HUGEPAGE) }
        }
        #endif
        buffer.initialize(repeating: value)
        initialized = count
    }
}
