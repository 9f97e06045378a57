import Foundation

/// Whole outputs compared with files kept under Tests/Golden. `RECORD_GOLDEN=1 swift test`
/// writes them anew (then read the diff before committing: the golden file is the expectation).
public enum Golden {
    public static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Golden")

    /// nil when `actual` equals the golden file `name`; else what differs (first differing line).
    public static func compare(_ actual: String, _ name: String) -> String? {
        let url = folder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            return nil
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            return "no golden file \(name): record it with RECORD_GOLDEN=1 swift test"
        }
        guard expected != actual else { return nil }
        let a = actual.components(separatedBy: "\n"), e = expected.components(separatedBy: "\n")
        let k = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
        return "\(name) differs at line \(k + 1):\n  expected: \(k < e.count ? e[k] : "(end)")\n  actual:   \(k < a.count ? a[k] : "(end)")"
    }

    /// Every cell of every sheet of a workbook, one `sheet!A1<TAB>text` line each, in order.
    public static func cells(_ book: XLSXPeek) -> String {
        var lines: [String] = []
        for sheet in book.sheets {
            let refs = sheet.values.keys.sorted { a, b in
                let (ra, ca) = split(a), (rb, cb) = split(b)
                return (ra, ca.count, ca) < (rb, cb.count, cb)
            }
            for r in refs { lines.append("\(sheet.name)!\(r)\t\(sheet.values[r]!.replacingOccurrences(of: "\n", with: "\\n"))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func split(_ ref: String) -> (Int, String) {
        let letters = String(ref.prefix { $0.isLetter })
        return (Int(ref.dropFirst(letters.count)) ?? 0, letters)
    }
}
