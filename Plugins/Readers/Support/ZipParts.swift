import Foundation
import TaizhangCore
import ZIPFoundation

/// The parts of a zip file (an .xlsx), found through its central directory, and unpacked with
/// ZIPFoundation's inflater fed by a provider that never reads past a part's compressed bytes.
/// (ZIPFoundation's own `extract` keeps reading to the end of the file and then spins forever
/// on a corrupt deflate stream — found by fuzzing; this reader stops with an error instead.)
package final class ZipParts {
    package struct Part {
        package var name: String
        var method: Int
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeader: Int
    }

    private let handle: FileHandle
    private let fileSize: Int
    package private(set) var parts: [String: Part] = [:]
    /// The parts' names in the central directory's order.
    package private(set) var order: [String] = []

    package struct Broken: Error { package var reason: String }

    package init(path: String) throws {
        guard let h = FileHandle(forReadingAtPath: path) else { throw Broken(reason: "cannot open") }
        handle = h
        fileSize = Int((try? h.seekToEnd()) ?? 0)
        // End of central directory: within the last 64 KB + 22 bytes.
        let tailSize = min(fileSize, 65_557)
        let tail = try read(at: fileSize - tailSize, count: tailSize)
        guard tail.count >= 22, let eocd = (0...(tail.count - 22)).reversed().first(where: { ZipParts.u32(tail, $0) == 0x0605_4B50 }) else {
            throw Broken(reason: "no end of central directory")
        }
        let entries = ZipParts.u16(tail, eocd + 10)
        let cdSize = ZipParts.u32(tail, eocd + 12), cdOffset = ZipParts.u32(tail, eocd + 16)
        guard cdOffset >= 0, cdSize >= 0, cdOffset + cdSize <= fileSize, cdSize < 64 << 20 else { throw Broken(reason: "central directory out of range") }
        let cd = try read(at: cdOffset, count: cdSize)
        var p = 0
        for _ in 0..<entries {
            guard p + 46 <= cd.count, ZipParts.u32(cd, p) == 0x0201_4B50 else { throw Broken(reason: "central directory entry damaged") }
            let method = ZipParts.u16(cd, p + 10)
            let csize = ZipParts.u32(cd, p + 20), usize = ZipParts.u32(cd, p + 24)
            let n = ZipParts.u16(cd, p + 28), m = ZipParts.u16(cd, p + 30), k = ZipParts.u16(cd, p + 32)
            let local = ZipParts.u32(cd, p + 42)
            guard p + 46 + n <= cd.count else { throw Broken(reason: "central directory entry damaged") }
            let name = String(decoding: cd[(p + 46)..<(p + 46 + n)], as: UTF8.self)
            if parts[name] == nil { order.append(name) }
            parts[name] = Part(name: name, method: method, compressedSize: csize, uncompressedSize: usize, localHeader: local)
            p += 46 + n + m + k
        }
    }

    deinit { try? handle.close() }

    static func u16(_ d: [UInt8], _ i: Int) -> Int { i + 1 < d.count ? Int(d[i]) | Int(d[i + 1]) << 8 : 0 }
    static func u32(_ d: [UInt8], _ i: Int) -> Int { i + 3 < d.count ? u16(d, i) | u16(d, i + 2) << 16 : 0 }

    private func read(at offset: Int, count: Int) throws -> [UInt8] {
        guard offset >= 0, count >= 0, offset + count <= fileSize else { throw Broken(reason: "read out of range") }
        try handle.seek(toOffset: UInt64(offset))
        return Array(handle.readData(ofLength: count))
    }

    /// Unpacks a part chunk by chunk into `consumer`; throws on any damage, never loops.
    package func extract(_ part: Part, consumer: (Data) throws -> Void) throws {
        let header = try read(at: part.localHeader, count: 30)
        guard ZipParts.u32(header, 0) == 0x0403_4B50 else { throw Broken(reason: "local header damaged") }
        let dataOffset = part.localHeader + 30 + ZipParts.u16(header, 26) + ZipParts.u16(header, 28)
        guard dataOffset + part.compressedSize <= fileSize else { throw Broken(reason: "part extends past the end of the file") }
        switch part.method {
        case 0:
            var done = 0
            while done < part.compressedSize {
                let n = min(1 << 20, part.compressedSize - done)
                try consumer(Data(try read(at: dataOffset + done, count: n)))
                done += n
            }
        case 8:
            // ZIPFoundation tells zlib every chunk is `size` bytes long, whatever it holds: a short
            // last chunk would let zlib read past it (found by fuzzing under ASan). So every chunk
            // is exactly `size` bytes, zero-padded after the part's data; a valid stream ends
            // before the padding, a corrupt one fails on the next call.
            var consumed = 0
            _ = try Data.decompress(size: Int64(part.compressedSize), bufferSize: 64 << 10, skipCRC32: true, provider: { _, size in
                let remaining = part.compressedSize - consumed
                guard remaining > 0 else { throw Broken(reason: "compressed data ends before the stream does") }
                var chunk = try self.read(at: dataOffset + consumed, count: min(size, remaining))
                consumed += chunk.count
                if chunk.count < size { chunk += [UInt8](repeating: 0, count: size - chunk.count) }
                return Data(chunk)
            }, consumer: consumer)
        default:
            throw Broken(reason: "unknown compression method \(part.method)")
        }
    }
}
