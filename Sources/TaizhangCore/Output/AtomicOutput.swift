import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One output file of a run, written so that nothing the user has is ever destroyed:
///
/// - the bytes go to a temporary file (owner-only, beside the target) and are synced there;
/// - the run puts every output in place together (``OutputSet/commit(_:keep:)``): a regular file is
///   replaced by rename, after its previous version is kept as `NAME.1.EXT` (older ones shift to
///   `.2`, `.3`); a symlink is followed and its target replaced, never the link itself;
/// - a target that is not a regular file (a device such as `/dev/stdout`, a pipe, `-` for standard
///   output) is written into directly, never renamed over.
///
/// Every writer — streaming, library-written (libxlsxwriter) or an outside program — writes through one.
public final class AtomicOutput: @unchecked Sendable {
    /// Where the bytes finally go.
    public enum Target: Sendable, Equatable {
        /// A regular file, existing or not, replaced by rename (the path after following symlinks).
        case file(String)
        /// A device, pipe or socket, written into directly.
        case special(String)
        /// The process's standard output (`-`).
        case standardOutput
    }

    /// The path as the user wrote it.
    public let path: String
    public let target: Target
    /// Where writers put the bytes (libraries open this name themselves).
    public let temporaryPath: String
    private var fd: Int32 = -1
    private(set) var sealed = false
    private var finished = false

    public init(path: String) throws(OutputError) {
        self.path = path
        target = try Self.resolve(path)
        let folder: String
        switch target {
        case .file(let p): folder = URL(fileURLWithPath: p).deletingLastPathComponent().path
        case .special, .standardOutput: folder = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        }
        let base = URL(fileURLWithPath: path == "-" ? "stdout" : path).lastPathComponent
        temporaryPath = folder + "/." + base + TemporaryFiles.marker + "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        // Owner-only: a temporary file may hold names and full ID numbers. Registered first, so an
        // interrupt between the two never leaves it behind.
        TemporaryFiles.shared.add(temporaryPath)
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 {
            TemporaryFiles.shared.remove(temporaryPath)
            throw OutputError(path: path, reason: String(cString: strerror(errno)))
        }
    }

    deinit { abort() }

    /// True for a path naming standard output (`-`, `/dev/stdout`): a command writing there prints
    /// its own messages to standard error instead.
    public static func namesStandardOutput(_ path: String) -> Bool {
        ["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"].contains(path)
    }

    /// Appends bytes to the temporary file (for writers that write themselves).
    public func write(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
        guard fd >= 0 else { throw OutputError(path: path, reason: "closed") }
        try Self.writeAll(fd, bytes, path: path)
    }

    var isRegularFile: Bool { if case .file = target { return true } else { return false } }

    /// Another writer (a library, an outside program) writes the temporary file by its name: our
    /// handle is closed, and `seal()` opens the file anew, whatever that writer did with it.
    public func handOver() {
        if fd >= 0 { close(fd); fd = -1 }
    }

    /// The bytes are all in the temporary file (a library has closed it, or `write` is done):
    /// syncs it to disk.
    public func seal() throws(OutputError) {
        guard !sealed else { return }
        if fd < 0 {
            fd = open(temporaryPath, O_RDONLY | O_CLOEXEC)
            if fd < 0 { throw OutputError(path: path, reason: String(cString: strerror(errno))) }
        }
        if fsync(fd) != 0 { throw OutputError(path: path, reason: String(cString: strerror(errno))) }
        close(fd)
        fd = -1
        sealed = true
    }

    /// Removes the temporary file; the target is left as it was. Safe to call twice.
    public func abort() {
        guard !finished else { return }
        finished = true
        if fd >= 0 { close(fd); fd = -1 }
        unlink(temporaryPath)
        TemporaryFiles.shared.remove(temporaryPath)
    }

    /// Puts the sealed bytes in place. Called by ``OutputSet`` only, with interrupts held off.
    func place(keep: Int) throws -> String? {
        precondition(sealed, "seal() before commit")
        defer { finished = true; TemporaryFiles.shared.remove(temporaryPath) }
        do { return try putInPlace(keep: keep) } catch {
            unlink(temporaryPath)
            throw error
        }
    }

    private func putInPlace(keep: Int) throws -> String? {
        switch target {
        case .file(let p):
            // Owner-only until now; an existing file keeps its mode, a new one gets 0666 less the umask.
            var st = stat()
            let mode: mode_t
            if stat(p, &st) == 0 { mode = st.st_mode & 0o7777 } else {
                let mask = umask(0); umask(mask)
                mode = 0o666 & ~mask
            }
            chmod(temporaryPath, mode)
            // Through a symlink the previous version is kept beside the file it points at.
            let kept = keep > 0 ? try Self.keepPrevious(of: p, replacedBy: temporaryPath, generations: keep, display: p == path ? path : p) : nil
            if rename(temporaryPath, p) != 0 {
                let reason = String(cString: strerror(errno))
                unlink(temporaryPath)
                throw OutputError(path: path, reason: reason)
            }
            // The rename is durable once the folder is synced.
            let dfd = open(URL(fileURLWithPath: p).deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if dfd >= 0 { fsync(dfd); close(dfd) }
            return kept
        case .special(let p):
            defer { unlink(temporaryPath) }
            // A pipe nobody reads would block for ever: opened without waiting (ENXIO: no reader).
            let out = open(p, O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
            if out < 0 {
                let reason = errno == ENXIO ? "没有程序在读这个管道 / nothing is reading this pipe" : String(cString: strerror(errno))
                throw OutputError(path: path, reason: reason)
            }
            defer { close(out) }
            let flags = fcntl(out, F_GETFL)
            _ = fcntl(out, F_SETFL, flags & ~O_NONBLOCK)
            try copy(to: out)
            return nil
        case .standardOutput:
            defer { unlink(temporaryPath) }
            try copy(to: STDOUT_FILENO)
            return nil
        }
    }

    private func copy(to out: Int32) throws {
        let input = open(temporaryPath, O_RDONLY | O_CLOEXEC)
        if input < 0 { throw OutputError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(input) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress!, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw OutputError(path: path, reason: String(cString: strerror(errno))) }
            if n == 0 { break }
            try buffer.withUnsafeBytes { raw in try Self.writeAll(out, UnsafeRawBufferPointer(rebasing: raw[0..<n]), path: path) }
        }
    }

    static func writeAll(_ fd: Int32, _ raw: UnsafeRawBufferPointer, path: String) throws(OutputError) {
        var off = 0
        while off < raw.count {
            let n = Glibc.write(fd, raw.baseAddress! + off, raw.count - off)
            if n < 0 {
                if errno == EINTR { continue }
                throw OutputError(path: path, reason: String(cString: strerror(errno)))
            }
            off += n
        }
    }

    // MARK: Where the bytes go

    /// Follows symlinks (at most 40) to the file that will really be written.
    static func resolve(_ path: String) throws(OutputError) -> Target {
        // Standard output by any of its names is written into fd 1 — even when the shell pointed it
        // at a regular file (`--report /dev/stdout > r.json`: never renamed over, never versioned).
        if namesStandardOutput(path) { return .standardOutput }
        var p = path
        for _ in 0..<40 {
            var st = stat()
            if lstat(p, &st) != 0 {
                if errno == ENOENT { return .file(p) }
                throw OutputError(path: path, reason: String(cString: strerror(errno)))
            }
            switch st.st_mode & S_IFMT {
            case S_IFREG: return .file(p)
            case S_IFDIR: throw OutputError(path: path, reason: "是文件夹，不是文件 / is a folder, not a file")
            case S_IFLNK:
                guard let dest = try? FileManager.default.destinationOfSymbolicLink(atPath: p) else {
                    throw OutputError(path: path, reason: String(cString: strerror(errno)))
                }
                // /proc/self/fd/1 points at "pipe:[…]" or a terminal: not a name to rename over.
                if p.hasPrefix("/proc/") || p.hasPrefix("/dev/") {
                    var target = stat()
                    if stat(p, &target) == 0, target.st_mode & S_IFMT != S_IFREG { return .special(p) }
                }
                p = dest.hasPrefix("/") ? dest : URL(fileURLWithPath: p).deletingLastPathComponent().appendingPathComponent(dest).path
            default:
                return .special(p)
            }
        }
        throw OutputError(path: path, reason: "符号链接层数过多 / too many levels of symbolic links")
    }

    /// Before `path` is replaced: unless the new bytes are the same, keeps the old file as
    /// `NAME.1.EXT` (the one before as `.2`, up to `generations`). Returns the kept path.
    static func keepPrevious(of path: String, replacedBy new: String, generations: Int, display: String) throws(OutputError) -> String? {
        var st = stat()
        guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
        if sameBytes(path, new) { return nil }
        func version(_ n: Int) -> String { versionName(path, n) }
        unlink(version(generations))
        if generations > 1 {
            for n in stride(from: generations - 1, through: 1, by: -1) { rename(version(n), version(n + 1)) }
        }
        if link(path, version(1)) != 0 && rename(path, version(1)) != 0 {
            throw OutputError(path: display, reason: "无法保留旧版本 \(version(1))：\(String(cString: strerror(errno)))")
        }
        return versionName(display, 1)
    }

    /// `out/表.xlsx` → `out/表.1.xlsx`; `out/表` → `out/表.1`.
    public static func versionName(_ path: String, _ n: Int) -> String {
        let url = URL(fileURLWithPath: path)
        let ext = url.pathExtension
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        let name = String(path[slash...])
        guard !ext.isEmpty, name.count > ext.count + 1 else { return path + ".\(n)" }
        return String(path.dropLast(ext.count + 1)) + ".\(n).\(ext)"
    }

    static func sameBytes(_ a: String, _ b: String) -> Bool {
        guard let fa = FileHandle(forReadingAtPath: a), let fb = FileHandle(forReadingAtPath: b) else { return false }
        defer { try? fa.close(); try? fb.close() }
        var sa = stat(), sb = stat()
        guard fstat(fa.fileDescriptor, &sa) == 0, fstat(fb.fileDescriptor, &sb) == 0, sa.st_size == sb.st_size else { return false }
        while true {
            let x = fa.readData(ofLength: 1 << 20), y = fb.readData(ofLength: 1 << 20)
            if x != y { return false }
            if x.isEmpty { return true }
        }
    }
}

/// The outputs of one run (or one command), put in place together once every one of them is
/// written and synced: in one short phase that Ctrl-C, SIGTERM and SIGHUP wait for, so a folder
/// never ends holding some outputs of a run and not others.
public enum OutputSet {
    /// Previous versions kept of an overwritten output (`NAME.1.EXT` … `NAME.3.EXT`).
    public static let generations = 3

    /// What was put in place: each output, and the previous version kept of it, if any.
    public struct Placed: Sendable {
        public var path: String
        public var keptPrevious: String?
    }

    public static func commit(_ outputs: [AtomicOutput], keep: Int = generations) throws -> [Placed] {
        for o in outputs { try o.seal() }
        return try TemporaryFiles.shared.whileHoldingInterrupts { () throws -> [Placed] in
            // Devices and standard output first (they can fail: a closed pipe), the renames after: a
            // failure leaves no regular output replaced.
            var placed: [Placed] = []
            for o in outputs.filter({ !$0.isRegularFile }) + outputs.filter(\.isRegularFile) {
                placed.append(Placed(path: o.path, keptPrevious: try o.place(keep: keep)))
            }
            return placed
        }
    }
}
