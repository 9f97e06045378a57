import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file written through a temporary name in the same folder and renamed into place on
/// `commit()`, so an output is either absent or complete: never half-written, whatever
/// happens to the run. Buffered; writers append bytes.
public final class OutputFile {
    public let path: String
    public let temporaryPath: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var done = false

    public init(path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        temporaryPath = dir + "/." + url.lastPathComponent + ".taizhang-tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 {
            throw OutputError(path: path, reason: String(cString: strerror(errno)))
        }
        TemporaryFiles.shared.add(temporaryPath)
        buffer.reserveCapacity(1 << 20)
    }

    deinit { abort() }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }

    public func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }

    public func write(_ text: String) throws {
        var t = text
        try t.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }

    /// Appends without checking the buffer size (the caller flushes via `write` or `commit`).
    @inlinable
    public func append(_ byte: UInt8) { appendByte(byte) }

    @usableFromInline
    func appendByte(_ byte: UInt8) { buffer.append(byte) }

    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { raw in
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
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs and renames the temporary file into place.
    public func commit() throws {
        try flush()
        if fsync(fd) != 0 { throw OutputError(path: path, reason: String(cString: strerror(errno))) }
        close(fd)
        fd = -1
        if rename(temporaryPath, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            TemporaryFiles.shared.remove(temporaryPath)
            throw OutputError(path: path, reason: reason)
        }
        TemporaryFiles.shared.remove(temporaryPath)
        done = true
    }

    /// Removes the temporary file; the output path is left as it was. Safe to call twice.
    public func abort() {
        guard !done else { return }
        done = true
        if fd >= 0 { close(fd); fd = -1 }
        unlink(temporaryPath)
        TemporaryFiles.shared.remove(temporaryPath)
    }
}

/// An output that could not be written.
public struct OutputError: Error, Sendable {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var message: Message {
        Message(zh: "无法写出 \(path)：\(reason)", en: "cannot write \(path): \(reason)")
    }
}

/// Temporary output files still open, so an interrupted run (Ctrl-C, SIGTERM) can remove them.
public final class TemporaryFiles: @unchecked Sendable {
    public static let shared = TemporaryFiles()
    private let lock = NSLock()
    private var paths: Set<String> = []

    public func add(_ p: String) { lock.lock(); paths.insert(p); lock.unlock() }
    public func remove(_ p: String) { lock.lock(); paths.remove(p); lock.unlock() }

    /// Deletes every temporary file still registered (called on interrupt).
    public func removeAll() {
        lock.lock()
        for p in paths { unlink(p) }
        paths.removeAll()
        lock.unlock()
    }

    /// For writers whose library writes the file itself (it is named here and renamed on commit).
    public static func temporaryName(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().path + "/." + url.lastPathComponent + ".taizhang-tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }
}
