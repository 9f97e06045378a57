import Foundation

/// FreeXL reads a formula cell as blank, without the value Excel saved with it. This scanner
/// finds every FORMULA record of an .xls (BIFF5/BIFF8 in an OLE2 compound file) and its cached
/// result, so the xls reader can use the saved value and say so — never a silent blank.
/// It is defensive: any inconsistency in the file makes it return nothing (FreeXL has the final
/// word on whether the file is readable).
enum BIFFFormulas {
    enum Result: Equatable {
        case number(Double), text(String), boolean(Bool), error(UInt8), empty
    }

    struct Cell: Hashable { var row: Int; var column: Int }

    /// What the scan finds in one sheet: formula cells with their saved results, and merged ranges.
    struct Sheet {
        var formulas: [Cell: Result] = [:]
        var merges: [MergedRange] = []
        /// BOUNDSHEET type: 0 worksheet, 2 chart, 6 VBA module.
        var kind = 0
        /// 0 visible, 1 hidden, 2 very hidden.
        var visibility = 0
    }

    /// Per sheet (in BOUNDSHEET order).
    /// The first FORMAT or LABEL record whose string runs past the record's end — FreeXL 1.0.6
    /// copies the declared length without checking it (found by fuzzing) — as "FORMAT at byte N".
    static func stringOverrun(_ s: [UInt8]) -> String? {
        var pos = 0, biff8 = true, n = 0, seenBOF = false
        while pos + 4 <= s.count, n < 50_000_000 {
            n += 1
            let type = u16(s, pos), size = u16(s, pos + 2), body = pos + 4
            func fits(_ header: Int, _ characters: Int, wide: Bool) -> Bool { header + characters * (wide ? 2 : 1) <= size }
            switch type {
            case 0x0809 where size >= 2 && !seenBOF:   // the globals' BOF sets the version, as in FreeXL
                biff8 = u16(s, body) == 0x0600
                seenBOF = true
            case 0x041E where biff8 && size >= 5:   // FORMAT: index, count, flags, characters
                let flags = Int(s[body + 4])
                let header = 5 + (flags & 0x08 != 0 ? 2 : 0) + (flags & 0x04 != 0 ? 4 : 0)
                if !fits(header, u16(s, body + 2), wide: flags & 1 != 0) { return "FORMAT @\(pos)" }
            case 0x0204 where size >= 8:            // LABEL: row, column, XF, count, [flags], characters
                if biff8 {
                    guard size >= 9 else { return "LABEL @\(pos)" }
                    if !fits(9, u16(s, body + 6), wide: s[body + 8] & 1 != 0) { return "LABEL @\(pos)" }
                } else if !fits(8, u16(s, body + 6), wide: false) { return "LABEL @\(pos)" }
            default: break
            }
            pos = body + size
        }
        return nil
    }

    private static func u16(_ b: [UInt8], _ i: Int) -> Int { i + 1 < b.count ? Int(b[i]) | Int(b[i + 1]) << 8 : 0 }
    private static func u32(_ b: [UInt8], _ i: Int) -> Int { i + 3 < b.count ? u16(b, i) | u16(b, i + 2) << 16 : 0 }

    static func sheets(_ s: [UInt8]) -> [Sheet]? {
        // Globals: the sheets' stream offsets from BOUNDSHEET records (type 0 = worksheet).
        var offsets: [(offset: Int, visibility: Int, kind: Int)] = []
        var pos = 0
        var guardCount = 0
        while pos + 4 <= s.count, guardCount < 10_000_000 {
            guardCount += 1
            let type = u16(s, pos), len = u16(s, pos + 2)
            if type == 0x0085, len >= 6 { offsets.append((u32(s, pos + 4), Int(s[pos + 8]), Int(s[pos + 9]))) }
            if type == 0x000A { break }       // EOF of the globals
            pos += 4 + len
        }
        var result: [Sheet] = []
        for (start, visibility, kind) in offsets {
            var cells: [Cell: Result] = [:]
            var merges: [MergedRange] = []
            var p = start
            var pendingString: Cell?
            var n = 0
            while p + 4 <= s.count, n < 50_000_000 {
                n += 1
                let type = u16(s, p), len = u16(s, p + 2)
                let body = p + 4
                guard body + len <= s.count else { break }
                if type == 0x0006 || type == 0x0406, len >= 20 {
                    let cell = Cell(row: u16(s, body), column: u16(s, body + 2))
                    let r = Array(s[(body + 6)..<(body + 14)])
                    if r[6] == 0xFF && r[7] == 0xFF {
                        switch r[0] {
                        case 0: pendingString = cell; cells[cell] = .empty
                        case 1: cells[cell] = .boolean(r[2] != 0)
                        case 2: cells[cell] = .error(r[2])
                        default: cells[cell] = .empty
                        }
                    } else {
                        let bits = r.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                        cells[cell] = .number(Double(bitPattern: UInt64(littleEndian: bits)))
                    }
                } else if type == 0x0207, let cell = pendingString, len >= 2 {
                    let cch = u16(s, body)
                    if len >= 3, body + 3 <= s.count {
                        let flags = s[body + 2]
                        let from = body + 3
                        if flags & 1 == 1 {
                            let bytes = Array(s[from..<min(body + len, from + cch * 2)])
                            cells[cell] = .text(String(decoding: stride(from: 0, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8 }, as: UTF16.self))
                        } else {
                            cells[cell] = .text(String(decoding: s[from..<min(body + len, from + cch)].map { UInt16($0) }, as: UTF16.self))
                        }
                    }
                    pendingString = nil
                } else if type == 0x00E5, len >= 2 {
                    // MERGEDCELLS: count, then (first row, last row, first column, last column).
                    let count = u16(s, body)
                    for k in 0..<count where 2 + 8 * (k + 1) <= len {
                        let b = body + 2 + 8 * k
                        merges.append(MergedRange(top: u16(s, b), bottom: u16(s, b + 2), left: u16(s, b + 4), right: u16(s, b + 6)))
                    }
                } else if type == 0x000A {
                    break
                }
                p = body + len
            }
            result.append(Sheet(formulas: cells, merges: merges, kind: kind, visibility: visibility))
        }
        return result
    }
}

/// Just enough of the OLE2 compound file format to read one stream.
struct CompoundFile {
    let buf: UnsafeRawBufferPointer
    let sectorSize: Int
    let fat: [Int]
    let directory: [UInt8]
    let miniFAT: [Int]
    let miniStream: [UInt8]
    let cutoff: Int

    init?(_ buf: UnsafeRawBufferPointer) {
        self.buf = buf
        guard buf.count >= 512, Array(buf[0..<8]) == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] else { return nil }
        func u16(_ i: Int) -> Int { Int(buf[i]) | Int(buf[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { i + 3 < buf.count ? u16(i) | u16(i + 2) << 16 : -1 }
        let shift = u16(0x1E)
        guard shift == 9 || shift == 12 else { return nil }
        let size = 1 << shift
        sectorSize = size
        cutoff = u32(0x38)
        // DIFAT: 109 entries in the header, then a chain of DIFAT sectors.
        var fatSectors: [Int] = []
        for k in 0..<109 { let s = u32(0x4C + 4 * k); if s >= 0 && s < 0xFFFFFFFA { fatSectors.append(s) } }
        var difat = u32(0x44)
        var hops = 0
        // A file cannot hold more sectors than its size allows: a DIFAT chain that loops (found by
        // fuzzing) would otherwise list the same FAT sectors millions of times.
        let sectorsInFile = buf.count / size + 1
        var seen: Set<Int> = []
        while difat >= 0 && difat < 0xFFFFFFFA && hops < sectorsInFile && seen.insert(difat).inserted {
            hops += 1
            let base = (difat + 1) * size
            guard base + size <= buf.count else { return nil }
            for k in 0..<(size / 4 - 1) { let s = u32(base + 4 * k); if s >= 0 && s < 0xFFFFFFFA { fatSectors.append(s) } }
            difat = u32(base + size - 4)
        }
        guard fatSectors.count <= sectorsInFile else { return nil }
        var fat: [Int] = []
        fat.reserveCapacity(fatSectors.count * size / 4)
        for s in fatSectors {
            let base = (s + 1) * size
            guard base + size <= buf.count else { return nil }
            for k in 0..<(size / 4) { fat.append(u32(base + 4 * k)) }
        }
        self.fat = fat
        func chain(_ start: Int, _ table: [Int], limit: Int) -> [Int]? {
            var out: [Int] = []
            var s = start
            while s >= 0 && s < 0xFFFFFFFA {
                guard s < table.count, out.count < limit else { return nil }
                out.append(s)
                s = table[s]
            }
            return out
        }
        let maxSectors = buf.count / size + 1
        guard let dirChain = chain(u32(0x30), fat, limit: maxSectors) else { return nil }
        var dir: [UInt8] = []
        for s in dirChain {
            let base = (s + 1) * size
            // A chain running past the end of a damaged file: keep the sectors that are there
            // (FreeXL reads only the first; its entries must still be checked).
            guard base + size <= buf.count else { break }
            dir += buf[base..<(base + size)]
        }
        directory = dir
        // Mini FAT and the mini stream (the root entry's stream).
        var mini: [Int] = []
        if let mc = chain(u32(0x3C), fat, limit: maxSectors) {
            for s in mc {
                let base = (s + 1) * size
                guard base + size <= buf.count else { break }
                for k in 0..<(size / 4) { mini.append(u32(base + 4 * k)) }
            }
        }
        miniFAT = mini
        var ms: [UInt8] = []
        if dir.count >= 128 {
            let rootStart = Int(dir[0x74]) | Int(dir[0x75]) << 8 | Int(dir[0x76]) << 16 | Int(dir[0x77]) << 24
            if let rc = chain(rootStart, fat, limit: maxSectors) {
                for s in rc {
                    let base = (s + 1) * size
                    guard base + size <= buf.count else { break }
                    ms += buf[base..<(base + size)]
                }
            }
        }
        miniStream = ms
    }

    /// The name length (> 64) of an entry in the first directory sector, which is the sector
    /// FreeXL 1.0.6 reads without checking the length; nil when the entries are sound or the
    /// file is not a compound file (FreeXL then gives its own error).
    static func directoryNameTooLong(_ buf: UnsafeRawBufferPointer) -> Int? {
        guard buf.count >= 512, Array(buf[0..<8]) == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] else { return nil }
        let shift = Int(buf[0x1E]) | Int(buf[0x1F]) << 8
        guard shift == 9 || shift == 12 else { return nil }
        let size = 1 << shift
        let start = Int(buf[0x30]) | Int(buf[0x31]) << 8 | Int(buf[0x32]) << 16 | Int(buf[0x33]) << 24
        // FreeXL computes the offset in 32-bit unsigned arithmetic, which wraps; check where it
        // reads (and where the sector really is, when that differs).
        let wrapped = Int(UInt32(truncatingIfNeeded: start &+ 1) &* UInt32(size))
        for base in Set([wrapped, (start + 1) * size]) where base + size <= buf.count {
            for entry in stride(from: base, to: base + size, by: 128) {
                let nameLength = Int(buf[entry + 0x40]) | Int(buf[entry + 0x41]) << 8
                if nameLength > 64 { return nameLength }
            }
        }
        return nil
    }

    /// The bytes of the first stream whose name (case-insensitive) is one of `names`.
    func stream(named names: [String]) -> [UInt8]? {
        var k = 0
        while k + 128 <= directory.count {
            let e = Array(directory[k..<(k + 128)])
            k += 128
            let nameLen = Int(e[0x40]) | Int(e[0x41]) << 8
            guard e[0x42] == 2, nameLen >= 2, nameLen <= 64 else { continue }
            let units = stride(from: 0, to: nameLen - 2, by: 2).map { UInt16(e[$0]) | UInt16(e[$0 + 1]) << 8 }
            let name = String(decoding: units, as: UTF16.self).lowercased()
            guard names.contains(name) else { continue }
            let start = Int(e[0x74]) | Int(e[0x75]) << 8 | Int(e[0x76]) << 16 | Int(e[0x77]) << 24
            let size = Int(e[0x78]) | Int(e[0x79]) << 8 | Int(e[0x7A]) << 16 | Int(e[0x7B]) << 24
            // A damaged file may declare more than it holds: read what is there.
            let readable = min(size, buf.count)
            return size < cutoff ? read(start, readable, table: miniFAT, sector: 64, from: nil) : read(start, readable, table: fat, sector: sectorSize, from: buf)
        }
        return nil
    }

    private func read(_ start: Int, _ size: Int, table: [Int], sector: Int, from file: UnsafeRawBufferPointer?) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(size)
        var s = start
        var hops = 0
        while s >= 0 && s < 0xFFFFFFFA && out.count < size {
            guard s < table.count, hops <= table.count else { return nil }
            hops += 1
            if let file {
                let base = (s + 1) * sector
                guard base + sector <= file.count else {
                    if base < file.count { out += file[base..<file.count] }
                    break
                }
                out += file[base..<(base + sector)]
            } else {
                let base = s * sector
                guard base + sector <= miniStream.count else { return nil }
                out += miniStream[base..<(base + sector)]
            }
            s = table[s]
        }
        return Array(out.prefix(size))
    }
}
