/// Where a value came from, in the terms a person sees: the file, the sheet, the
/// spreadsheet row number or text line number, the column letter and its header text.
public struct Origin: Sendable, Hashable, Codable {
    public var file: String
    public var sheet: String?
    /// The row number a person sees: a spreadsheet's row or a text file's line (1-based).
    /// For JSON sources, the line on which the record starts.
    public var row: Int?
    /// Column letter (A, B, …, AA) for tabular sources.
    public var column: String?
    /// Header text of the column as written in the source, or the JSON key.
    public var header: String?
    /// For JSON sources: the record's 1-based index in the file.
    public var record: Int?

    public init(file: String, sheet: String? = nil, row: Int? = nil, column: String? = nil,
                header: String? = nil, record: Int? = nil) {
        self.file = file
        self.sheet = sheet
        self.row = row
        self.column = column
        self.header = header
        self.record = record
    }

    /// The row as a clerk finds it in a list: `书院路社区.csv[台账] 第 7 行`.
    public var rowPlace: String {
        file + (sheet.map { "[\($0)]" } ?? "") + (row.map { " 第 \($0) 行" } ?? "")
    }

    /// `file:row:column` for terminal output, e.g. `书院路社区.csv:12:C`.
    public var location: String {
        var s = file
        if let sheet { s += "[\(sheet)]" }
        if let row { s += ":\(row)" }
        if let column { s += ":\(column)" }
        return s
    }

    /// Spreadsheet column letters for a 0-based column index: 0 → A, 25 → Z, 26 → AA.
    public static func columnLetter(_ index: Int) -> String {
        var n = index + 1
        var s: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            s.append(Character(UnicodeScalar(UInt8(65 + r))))
            n = (n - 1) / 26
        }
        return String(s.reversed())
    }

    /// The 0-based column index of spreadsheet letters: A → 0, AA → 26 (nil for anything else).
    public static func columnIndex(_ letters: String) -> Int? {
        guard !letters.isEmpty, letters.utf8.count <= 4 else { return nil }
        var n = 0
        for b in letters.utf8 {
            guard b >= 65, b <= 90 else { return nil }
            n = n * 26 + Int(b - 64)
        }
        return n - 1
    }
}
