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
    /// How far through its file the reader is (0…1), for the progress line; nil when it cannot
    /// tell. Asked on the reading thread, between reads.
    var fractionRead: Double? { get }
}

extension SourceReader {
    public var detectedOptions: [String: String] { [:] }
    public var fractionRead: Double? { nil }
}

extension SourceReader {
    /// Reads the whole source outside a run (a side table, the conformance kit, tests): every
    /// column kept, in its own place, batch by batch. Returns the rows read (data and skipped).
    @discardableResult
    public func drain(display: String, batchSize: Int = 4096, _ body: (Batch) -> Void) throws(SourceError) -> Int {
        let layout = Layout(schema: Schema(name: "drain", fields: []), extras: header.indices.map { "c\($0)" })
        let info = SourceInfo(index: 0, file: display, sheet: sheet, columnLetters: header.indices.map { Origin.columnLetter($0) },
                              headers: header, recordBased: recordBased)
        var sink = RowSink(layout: layout, source: info, columnMap: Array(header.indices), capacity: batchSize)
        var more = true
        while more {
            more = try read(into: &sink)
            body(sink.take())
        }
        return sink.rowsRead
    }
}
