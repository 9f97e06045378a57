/// Finds the header of a table whose top may hold a title, notes and a two-row merged header:
/// the row among the first rows whose cells match the most schema field names and aliases
/// (at least two). A non-blank row just above it with two or more cells is the upper half of a
/// merged header: its labels are spread over the empty cells to their right (a merged group
/// heading) and joined to the lower label as `上/下` (基本情况/姓名), which the header mapping
/// matches by its last part. Without a schema, or without a match, the first non-blank row is
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
        let nonBlank = rows.indices.filter { rows[$0].contains { !$0.trimmingCharacters(in: .whitespaces).isEmpty } }
        guard let firstNonBlank = nonBlank.first else { return nil }
        var best = (index: firstNonBlank, score: 0)
        if !schema.fields.isEmpty {
            let index = schema.headerIndex()
            for i in nonBlank {
                var matched = Set<Int>()
                for cell in rows[i] { if let f = match(cell, index) { matched.insert(f) } }
                if matched.count > best.score { best = (i, matched.count) }
            }
            if best.score < 2 { best = (firstNonBlank, 0) }
        }
        var header = rows[best.index]
        var parts: [Int] = []
        let above = best.index - 1
        if above >= 0, rows[above].filter({ !$0.trimmingCharacters(in: .whitespaces).isEmpty }).count >= 2 {
            parts.append(above)
            var upper = rows[above]
            var label = ""
            for c in upper.indices {
                let t = upper[c].trimmingCharacters(in: .whitespaces)
                if !t.isEmpty { label = t } else if c < header.count, !header[c].trimmingCharacters(in: .whitespaces).isEmpty { upper[c] = label }
            }
            for c in 0..<max(header.count, upper.count) {
                let lo = c < header.count ? header[c].trimmingCharacters(in: .whitespaces) : ""
                let up = c < upper.count ? upper[c].trimmingCharacters(in: .whitespaces) : ""
                let combined = lo.isEmpty ? up : up.isEmpty || up == lo ? lo : up + "/" + lo
                if c < header.count { header[c] = combined } else { header.append(combined) }
            }
        }
        // Trailing empty header cells with nothing under them are dropped by the caller's width.
        while let last = header.last, last.isEmpty { header.removeLast() }
        return Result(headerIndex: best.index, header: header, headerParts: parts)
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
