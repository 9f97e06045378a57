import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The folders a run writes into: locked against a second run writing there at the same time, and
/// cleared of temporary files that runs which died (kill -9, a power cut) left behind.
public final class OutputFolders {
    private var locks: [Int32] = []
    /// Folders (device, inode) already locked by this run: a pipeline's tables share the run's locks.
    private var claimed: Set<[UInt64]> = []
    /// Stale temporary files removed, by folder.
    public private(set) var removedStale: [String] = []

    public init() {}

    deinit { release() }

    /// Locks each folder (flock, released when the run ends or the process dies) and removes the
    /// temporaries of processes that no longer run. A folder another run holds is an error.
    public func claim(_ folders: [String]) throws(OutputError) {
        for folder in Set(folders) {
            let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            // One folder under two names (a symlink, `..`) is locked once.
            var st = stat()
            if fstat(fd, &st) == 0, !claimed.insert([UInt64(st.st_dev), UInt64(st.st_ino)]).inserted { close(fd); continue }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                close(fd)
                throw OutputError(path: folder, reason: Message(zh: "另一个 taizhang 运行正在向这个文件夹写出；等它结束再运行",
                                                                 en: "another taizhang run is writing into this folder; wait for it to end").zh
                                  + " / another taizhang run is writing into this folder; wait for it to end")
            }
            locks.append(fd)
            removeStaleTemporaries(in: folder)
        }
    }

    /// `.NAME.taizhang-tmp-PID-N` of a PID that is not running: what kill -9 left.
    func removeStaleTemporaries(in folder: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasPrefix(".") {
            guard let r = name.range(of: TemporaryFiles.marker),
                  let pid = Int32(name[r.upperBound...].prefix { $0 != "-" }), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                let path = (folder as NSString).appendingPathComponent(name)
                if (try? FileManager.default.removeItem(atPath: path)) != nil { removedStale.append(path) }
            }
        }
    }

    public func release() {
        for fd in locks { flock(fd, LOCK_UN); close(fd) }
        locks.removeAll()
        claimed.removeAll()
    }
}
