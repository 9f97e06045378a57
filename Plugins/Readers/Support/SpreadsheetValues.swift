import Foundation

/// How spreadsheet numbers become text, the same for .xls and .xlsx.
enum SpreadsheetValues {
    /// Whole numbers without ".0"; numbers of 16 or more digits as Excel keeps them — 15
    /// significant digits in scientific notation — so lost digits show and are never invented
    /// (a 18-digit ID number typed into a numeric cell reads 1.10105198503120E+17).
    static func text(_ d: Double) -> String {
        guard d.isFinite else { return d.isNaN ? "#NUM!" : "#DIV/0!" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        if abs(d) >= 1e15 { return String(format: "%.14E", d) }
        return "\(d)"
    }

    /// Excel's error codes in BIFF.
    static func errorText(_ code: UInt8) -> String {
        switch code {
        case 0x00: return "#NULL!"
        case 0x07: return "#DIV/0!"
        case 0x0F: return "#VALUE!"
        case 0x17: return "#REF!"
        case 0x1D: return "#NAME?"
        case 0x24: return "#NUM!"
        case 0x2A: return "#N/A"
        default: return "#ERR"
        }
    }
}
