/// An opened source. `open` reads just enough to know the columns; rows come later in batches.
public protocol SourceReader: AnyObject {
    /// The source's column headers as written (or the JSON keys in first-seen order).
    var header: [String] { get }
    /// The row number of the header (shown in header issues), if any.
    var headerRow: Int? { get }
    var sheet: String? { get }
    /// True for sources of keyed records (JSON), which have no column letters.
    var recordBased: Bool { get }
    /// Issues found while opening (encoding guessed, header-only file …).
    var openIssues: [Issue] { get }
    /// Pushes rows into `sink` until it is full or the source ends; returns false at the end.
    func read(into sink: inout RowSink) throws(SourceError) -> Bool
    func close()
    /// Settings the reader worked out for itself (encoding, delimiter …), as pipeline options,
    /// so `taizhang init` can write them down.
    var detectedOptions: [String: String] { get }
}

extension SourceReader {
    public var detectedOptions: [String: String] { [:] }
}
