/// Finds the header of a table whose top may hold a title, notes and a two-row merged header:
/// among the first rows, the row — or pair of rows read as one two-row header — whose cells
/// match the most schema field names and aliases (at least two). In a pair, the upper labels are
/// spread over the empty cells to their right (a heading merged across) and joined to the lower
/// label as `上/下` (基本情况/姓名), which the header mapping matches by its last part. Without a schema, or without a match, the first non-blank row is
/// the header. Rows above the header are non-data, each with its reason.
public enum HeaderDetector {
    public struct Result: Sendable {
        /// Index into the rows given of the (lower) header row.
        public var headerIndex: Int
        public var header: [String]
        /// Indices of rows above the header that belong to it (the upper half of a merged header).
        public var headerParts: [Int]

        public init(headerIndex: Int, header: [String], headerParts: [Int]) {
            self.headerIndex = headerIndex
            self.header = header
            self.headerParts = headerParts
        }
    }

    /// How many rows are looked at.
    public static let window = 30

    public static func detect(_ rows: [[String]], schema: Schema) -> Result? {
        func filled(_ row: [String]) -> Int { row.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.count }
        let nonBlank = rows.indices.filter { filled(rows[$0]) > 0 }
        guard let firstNonBlank = nonBlank.first else { return nil }
        let index = schema.headerIndex()
        func score(_ header: [String]) -> Int { Set(header.compactMap { match($0, index) }).count }

        // Candidates: each row alone, and each row with the row above as the upper half of a
        // two-row header. The most schema fields matched wins; a pair wins a tie.
        var best = (index: firstNonBlank, header: rows[firstNonBlank], parts: [Int](), score: 0)
        if !schema.fields.isEmpty {
            for i in nonBlank {
                let single = score(rows[i])
                if single > best.score { best = (i, rows[i], [], single) }
                if i > 0, filled(rows[i - 1]) >= 2 {
                    let combined = combine(upper: rows[i - 1], lower: rows[i])
                    let s = score(combined)
                    if s >= max(best.score, 1), s >= single { best = (i, combined, [i - 1], s) }
                }
            }
            if best.score < 2 { best = (firstNonBlank, rows[firstNonBlank], [], 0) }
        }
        var header = best.header
        while let last = header.last, last.isEmpty { header.removeLast() }
        return Result(headerIndex: best.index, header: header, headerParts: best.parts)
    }

    /// Joins the two rows of a merged header: an upper label is spread over the empty cells to
    /// its right that have a lower label (a heading merged across), then `上/下` where both exist.
    static func combine(upper rawUpper: [String], lower: [String]) -> [String] {
        var upper = rawUpper
        var label = ""
        for c in upper.indices {
            let t = upper[c].trimmingCharacters(in: .whitespaces)
            if !t.isEmpty { label = t } else if c < lower.count, !lower[c].trimmingCharacters(in: .whitespaces).isEmpty { upper[c] = label }
        }
        var out: [String] = []
        for c in 0..<max(lower.count, upper.count) {
            let lo = c < lower.count ? lower[c].trimmingCharacters(in: .whitespaces) : ""
            let up = c < upper.count ? upper[c].trimmingCharacters(in: .whitespaces) : ""
            out.append(lo.isEmpty ? up : up.isEmpty || up == lo ? lo : up + "/" + lo)
        }
        return out
    }

    /// The field a header cell names: by its whole text, else by its last part (基本情况/姓名).
    public static func match(_ cell: String, _ index: [String: Int]) -> Int? {
        let key = Schema.headerKey(cell)
        if key.isEmpty { return nil }
        if let f = index[key] { return f }
        if let last = cell.split(whereSeparator: { "/／-－_·.\n".contains($0) }).last, last.count < cell.count {
            return index[Schema.headerKey(String(last))]
        }
        return nil
    }
}
