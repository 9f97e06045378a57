import Foundation

/// A buffered byte writer over an ``AtomicOutput``: writers append bytes, and `seal()` hands the
/// finished output to the run, which puts all of its outputs in place together.
public final class OutputFile {
    public let output: AtomicOutput
    public var path: String { output.path }
    private var buffer: [UInt8] = []

    public init(path: String) throws {
        output = try AtomicOutput(path: path)
        buffer.reserveCapacity(1 << 20)
    }

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
        try t.withUTF8 { u in try write(UnsafeRawBufferPointer(u)) }
    }

    /// Appends without checking the buffer size (the caller flushes via `write` or `seal`).
    @inlinable
    public func append(_ byte: UInt8) { appendByte(byte) }

    @usableFromInline
    func appendByte(_ byte: UInt8) { buffer.append(byte) }

    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { raw in try output.write(raw) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and syncs; the output is ready for ``OutputSet/commit(_:keep:)``.
    public func seal() throws -> AtomicOutput {
        try flush()
        try output.seal()
        return output
    }

    /// Removes the temporary file; the output path is left as it was. Safe to call twice.
    public func abort() { output.abort() }
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
