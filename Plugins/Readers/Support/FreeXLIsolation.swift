import Foundation
import CFreeXL

/// FreeXL, kept at arm's length. FreeXL 1.0.6 trusts lengths it reads from the file, and fuzzing
/// keeps finding another overread (fuzz/regressions/xls). The checks in `XLSBook` refuse the ones
/// found so far with a precise message; this file makes sure the next one cannot take the run down:
///
/// - `dump(path:sheet:)` is everything the reader asks of FreeXL — open, sheet names, password flag,
///   one sheet's cells — written into a flat byte stream (`Dump`).
/// - The `taizhang` command runs it in a child process of its own (`taizhang __freexl-dump FILE [SHEET]`,
///   the same executable, no shell, no other program), so a crash or a hang inside FreeXL is a clear
///   error on that file and the run, its other inputs and its outputs go on. Library users and the
///   fuzz harness, which set no helper, run the same dump in-process.
///
/// The stream (little-endian): "TZX1", open rc (i32); then encrypted (u8), sheet count (u32) and each
/// name (u8 present, u32 length, UTF-8); with a sheet: select rc (i32), rows (u32), columns (u32), and
/// the cells row by row — 0 n (u32): n blank cells; 1 i64; 2 f64; 3 u32 length + UTF-8 text;
/// 0xFF rc (i32): FreeXL failed on this cell — then "END!". A stream without "END!" is incomplete.
enum FreeXLIsolation {
    /// The hidden first argument of the child.
    static let command = "__freexl-dump"

    /// How long FreeXL may take over one file before it is stopped.
    static func timeout(forFileOf bytes: Int) -> Double { 60 + Double(bytes) / 1_000_000 }

    enum Failure: Error {
        case crashed(signal: Int32)
        case timedOut(seconds: Int)
        case incomplete(status: Int32)
        case cannotStart(String)
    }

    /// The dump of `path` (and of sheet `sheet`, 0-based), from the helper process if there is one.
    static func load(path: String, sheet: Int?, helper: String?, timeout: Double? = nil) throws(Failure) -> Dump {
        guard let helper else { return Dump(bytes: dump(path: path, sheet: sheet)) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: helper)
        p.arguments = [command, path] + (sheet.map { [String($0)] } ?? [])
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch { throw .cannotStart("\(helper): \(error.localizedDescription)") }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let limit = timeout ?? FreeXLIsolation.timeout(forFileOf: size)
        let stopped = Flag()
        let pid = p.processIdentifier
        let timer = DispatchWorkItem { stopped.set(); kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + limit, execute: timer)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        timer.cancel()
        if stopped.isSet { throw .timedOut(seconds: Int(limit)) }
        if p.terminationReason == .uncaughtSignal { throw .crashed(signal: p.terminationStatus) }
        let dump = Dump(bytes: [UInt8](data))
        guard p.terminationStatus == 0, dump.isComplete else { throw .incomplete(status: p.terminationStatus) }
        return dump
    }

    /// The child: `taizhang __freexl-dump FILE [SHEET]` writes the dump to standard output.
    static func childMain(_ arguments: [String]) -> Int32 {
        guard let path = arguments.first else { return 2 }
        let sheet = arguments.count > 1 ? Int(arguments[1]) : nil
        let bytes = dump(path: path, sheet: sheet)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
            if n <= 0 { return 3 }
            written += n
        }
        return 0
    }

    /// Everything the reader needs from FreeXL, as a flat stream.
    static func dump(path: String, sheet: Int?) -> [UInt8] {
        var o = Writer()
        o.bytes("TZX1")
        var handle: UnsafeRawPointer?
        let rc = freexl_open(path, &handle)
        guard rc == FREEXL_OK, let h = handle else {
            if let handle { freexl_close(handle) }
            o.i32(rc == FREEXL_OK ? FREEXL_NULL_HANDLE : rc)
            o.bytes("END!")
            return o.out
        }
        defer { freexl_close(h) }
        o.i32(FREEXL_OK)
        var info: UInt32 = 0
        o.u8(freexl_get_info(h, UInt16(FREEXL_BIFF_PASSWORD), &info) == FREEXL_OK && info == UInt32(FREEXL_BIFF_OBFUSCATED) ? 1 : 0)
        var count: UInt32 = 0
        freexl_get_info(h, UInt16(FREEXL_BIFF_SHEET_COUNT), &count)
        count = min(count, 4096)
        o.u32(count)
        for i in 0..<count {
            var name: UnsafePointer<CChar>?
            if freexl_get_worksheet_name(h, UInt16(i), &name) == FREEXL_OK, let name {
                o.u8(1)
                o.text(name)
            } else {
                o.u8(0)
            }
        }
        if let sheet, sheet >= 0, sheet < Int(count) {
            let sel = freexl_select_active_worksheet(h, UInt16(sheet))
            o.i32(sel)
            if sel == FREEXL_OK {
                var rows: UInt32 = 0
                var cols: UInt16 = 0
                freexl_worksheet_dimensions(h, &rows, &cols)
                // A BIFF8 sheet has at most 65,536 rows and 256 columns; a file saying more is damaged.
                let columns = min(UInt32(cols), 256)
                rows = min(rows, 65_536)
                o.u32(rows)
                o.u32(columns)
                var blanks: UInt32 = 0
                func flush() { if blanks > 0 { o.u8(0); o.u32(blanks); blanks = 0 } }
                cells: for r in 0..<rows {
                    for c in 0..<columns {
                        var v = FreeXL_CellValue()
                        let rc = freexl_get_cell_value(h, r, UInt16(c), &v)
                        guard rc == FREEXL_OK else {
                            flush()
                            o.u8(0xFF)
                            o.i32(rc)
                            break cells
                        }
                        switch Int32(v.type) {
                        case FREEXL_CELL_INT: flush(); o.u8(1); o.u64(UInt64(bitPattern: Int64(v.value.int_value)))
                        case FREEXL_CELL_DOUBLE: flush(); o.u8(2); o.u64(v.value.double_value.bitPattern)
                        case FREEXL_CELL_TEXT, FREEXL_CELL_SST_TEXT, FREEXL_CELL_DATE, FREEXL_CELL_DATETIME, FREEXL_CELL_TIME:
                            if let t = v.value.text_value { flush(); o.u8(3); o.text(t) } else { blanks += 1 }
                        default: blanks += 1
                        }
                    }
                }
                flush()
            }
        }
        o.bytes("END!")
        return o.out
    }

    private struct Writer {
        var out: [UInt8] = []
        mutating func bytes(_ s: StaticString) { out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount)) }
        mutating func u8(_ v: UInt8) { out.append(v) }
        mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        mutating func i32(_ v: Int32) { u32(UInt32(bitPattern: v)) }
        mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        mutating func text(_ p: UnsafePointer<CChar>) {
            let n = strlen(p)
            u32(UInt32(truncatingIfNeeded: n))
            p.withMemoryRebound(to: UInt8.self, capacity: n) { out.append(contentsOf: UnsafeBufferPointer(start: $0, count: n)) }
        }
    }

    private final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.lock(); value = true; lock.unlock() }
        var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    }
}

/// A dump read back: the workbook part at once, the cells one row at a time.
struct Dump {
    enum Cell: Equatable { case blank, int(Int64), double(Double), text(String) }

    let bytes: [UInt8]
    private(set) var openCode: Int32 = FREEXL_NULL_HANDLE
    private(set) var encrypted = false
    private(set) var sheetNames: [String?] = []
    private(set) var selectCode: Int32?
    private(set) var rows = 0
    private(set) var columns = 0
    private var at = 0
    private var pendingBlanks = 0
    /// FreeXL's error on the cell the stream stopped at (row, column, rc).
    private(set) var cellError: (row: Int, column: Int, code: Int32)?
    private var cellIndex = 0
    /// A read ran past the end: what follows is not trusted.
    private var short = false

    init(bytes: [UInt8]) {
        self.bytes = bytes
        guard bytes.count >= 8, bytes[0..<4].elementsEqual("TZX1".utf8) else { return }
        at = 4
        openCode = i32()
        guard openCode == FREEXL_OK else { return }
        encrypted = u8() == 1
        let count = Int(u32())
        for _ in 0..<min(count, 4096) where at < bytes.count {
            sheetNames.append(u8() == 1 ? text() : nil)
        }
        guard at + 4 <= bytes.count, !bytes[at..<at + 4].elementsEqual("END!".utf8) else { return }
        selectCode = i32()
        guard selectCode == FREEXL_OK else { return }
        rows = Int(u32())
        columns = Int(u32())
    }

    /// Ends with "END!": the child wrote all of it.
    var isComplete: Bool { bytes.count >= 8 && bytes.suffix(4).elementsEqual("END!".utf8) }

    /// The next row's cells (`columns` of them), or nil at the end or at a cell FreeXL failed on.
    mutating func nextRow() -> [Cell]? {
        guard columns > 0, cellIndex < rows * columns, cellError == nil else { return nil }
        var cells: [Cell] = []
        cells.reserveCapacity(columns)
        while cells.count < columns {
            if pendingBlanks > 0 {
                let n = min(pendingBlanks, columns - cells.count)
                cells.append(contentsOf: repeatElement(.blank, count: n))
                pendingBlanks -= n
                continue
            }
            guard at < bytes.count else { return nil }
            switch u8() {
            case 0: pendingBlanks = Int(u32())
            case 1: cells.append(.int(Int64(bitPattern: u64())))
            case 2: cells.append(.double(Double(bitPattern: u64())))
            case 3: cells.append(.text(text()))
            case 0xFF:
                let i = cellIndex + cells.count
                cellError = (i / columns, i % columns, i32())
                return nil
            default: return nil
            }
            if short { return nil }
        }
        cellIndex += columns
        return cells
    }

    private mutating func u8() -> UInt8 {
        guard at < bytes.count else { short = true; return 0 }
        defer { at += 1 }
        return bytes[at]
    }
    private mutating func u32() -> UInt32 {
        guard at + 4 <= bytes.count else { at = bytes.count; short = true; return 0 }
        var v: UInt32 = 0
        for k in 0..<4 { v |= UInt32(bytes[at + k]) << (8 * k) }
        at += 4
        return v
    }
    private mutating func i32() -> Int32 { Int32(bitPattern: u32()) }
    private mutating func u64() -> UInt64 {
        let lo = UInt64(u32()), hi = UInt64(u32())
        return lo | hi << 32
    }
    private mutating func text() -> String {
        let n = Int(u32())
        guard n <= bytes.count - at else { at = bytes.count; short = true; return "" }
        defer { at += n }
        return String(decoding: bytes[at..<at + n], as: UTF8.self)
    }
}
