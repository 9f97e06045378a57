/// A merged range of cells (0-based, inclusive), as .xls and .xlsx record them.
struct MergedRange: Sendable {
    var top: Int, bottom: Int, left: Int, right: Int
}

/// Gives the value of each merged range (held by its top-left cell) to every cell it covers,
/// row by row as the rows stream past: a community name merged down a column belongs to every
/// row beside it, and a heading merged across belongs to every column under it.
struct MergeFiller {
    /// Sorted by top row: a range starts being filled when the rows reach it, and is dropped after
    /// its bottom row, so each row costs the ranges that cover it, not every range of the sheet.
    private let ranges: [MergedRange]
    private var next = 0
    private var active: [(range: MergedRange, value: String)] = []

    init(_ ranges: [MergedRange]) {
        // Single cells are not merges; very large merges are kept (they are cheap per row).
        // A range written backwards (C2:A3, from a damaged or hand-made file) covers the same cells.
        self.ranges = ranges.map { MergedRange(top: min($0.top, $0.bottom), bottom: max($0.top, $0.bottom), left: min($0.left, $0.right), right: max($0.left, $0.right)) }
            .filter { $0.bottom > $0.top || $0.right > $0.left }.sorted { $0.top < $1.top }
    }

    var isEmpty: Bool { ranges.isEmpty }

    /// Fills the row with 0-based index `row` (cells indexed by column). Rows come in order.
    mutating func fill(_ cells: inout [String], row: Int) {
        active.removeAll { $0.range.bottom < row }
        while next < ranges.count, ranges[next].top <= row {
            let m = ranges[next]
            next += 1
            guard m.bottom >= row else { continue }
            // The value is the top-left cell's; a range whose top row was blank has none.
            active.append((m, m.top == row && m.left < cells.count ? cells[m.left] : ""))
        }
        for (m, v) in active where !v.isEmpty {
            for c in m.left...min(m.right, 16_383) where !(row == m.top && c == m.left) {
                while cells.count <= c { cells.append("") }
                if cells[c].isEmpty { cells[c] = v }
            }
        }
    }
}
