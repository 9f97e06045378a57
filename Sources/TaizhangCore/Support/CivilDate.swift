/// Calendar arithmetic shared by the spreadsheet readers and date parsers: Howard Hinnant's
/// civil-date algorithms (days since 1970-01-01 ↔ year, month, day) and Excel's day numbers.
public enum CivilDate {
    /// Days since 1970-01-01 of a proleptic Gregorian date.
    public static func days(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468
    }

    /// The date of a day number (days since 1970-01-01).
    public static func date(_ z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// The date of an Excel day number. The 1900 system counts a 29 February 1900 that never was
    /// (serial 60, given here as 28 February; callers that must refuse it check for 60 themselves).
    public static func excel(_ serial: Int, date1904: Bool) -> (year: Int, month: Int, day: Int) {
        if date1904 { return date(days(1904, 1, 1) + serial) }
        return date(days(1899, 12, 31) + (serial < 60 ? serial : serial - 1))
    }
}
