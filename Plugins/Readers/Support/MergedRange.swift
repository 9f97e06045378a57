/// A merged range of cells (0-based, inclusive), as .xls and .xlsx record them.
struct MergedRange: Sendable {
    var top: Int, bottom: Int, left: Int, right: Int
}

/// Gives the value of each merged range (held by its top-left cell) to every cell it covers,
/// row by row as the rows stream past: a community name merged down a column belongs to every
/// row beside it, and a heading merged across belongs to every column under it.
struct MergeFiller {
    private let ranges: [MergedRange]
    private var values: [Int: String] = [:]

    init(_ ranges: [MergedRange]) {
        // Single cells are not merges; very large merges are kept (they are cheap per row).
        self.ranges = ranges.filter { $0.bottom > $0.top || $0.right > $0.left }
    }

    var isEmpty: Bool { ranges.isEmpty }

    /// Fills the row with 0-based index `row` (cells indexed by column).
    mutating func fill(_ cells: inout [String], row: Int) {
        for (k, m) in ranges.enumerated() where row >= m.top && row <= m.bottom {
            if row == m.top { values[k] = m.left < cells.count ? cells[m.left] : "" }
            guard let v = values[k], !v.isEmpty else { continue }
            for c in m.left...min(m.right, 16_383) where !(row == m.top && c == m.left) {
                while cells.count <= c { cells.append("") }
                if cells[c].isEmpty { cells[c] = v }
            }
        }
    }
}
