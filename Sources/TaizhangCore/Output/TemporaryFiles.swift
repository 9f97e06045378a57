import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Temporary output files still open, so an interrupted run (Ctrl-C, SIGTERM, SIGHUP) can remove
/// them, and so the phase that puts a run's outputs in place is not cut short by a signal.
public final class TemporaryFiles: @unchecked Sendable {
    public static let shared = TemporaryFiles()
    /// In every temporary output's name: `.NAME.taizhang-tmp-PID-N`.
    public static let marker = ".taizhang-tmp-"
    // Recursive: the commit phase holds it while outputs deregister themselves.
    private let lock = NSRecursiveLock()
    private var paths: Set<String> = []

    public func add(_ p: String) { lock.lock(); paths.insert(p); lock.unlock() }
    public func remove(_ p: String) { lock.lock(); paths.remove(p); lock.unlock() }

    /// Deletes every temporary file still registered (called on interrupt). Waits for a commit
    /// phase under way to end, so outputs are either all in place or none.
    public func removeAll() {
        lock.lock()
        for p in paths { unlink(p) }
        paths.removeAll()
        lock.unlock()
    }

    /// Runs `body` (putting outputs in place) so that an interrupt waits until it is done.
    public func whileHoldingInterrupts<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
