import Foundation
import TaizhangCore

/// `read: store` — a stored period as an input: the records of one period (all units, or one) in
/// the fields they were saved with, page by page, like any other source. `path` is the store file.
/// Rows are numbered in the order the store keeps them (1, 2, …); the files and rows the records
/// first came from are in the store (`store history` names them).
public enum StoreReaderPlugin {
    public static let spec = PluginSpec(
        name: "store", kind: .reader,
        summary: Message(zh: "从资料库读取某一期（某个单位）的台账，像其他输入一样进入流水线", en: "Reads a stored period (of one unit, or all) as an input"),
        options: [
            OptionSpec("path", .inputPath, required: true, doc: Message(zh: "资料库文件", en: "the store file")),
            OptionSpec("period", .string, required: true, doc: Message(zh: "读取哪一期，如 2026Q2", en: "the period to read, e.g. 2026Q2")),
            OptionSpec("unit", .string, doc: Message(zh: "只读一个单位（默认全部）", en: "one unit only (default: all)")),
        ],
        file: "Plugins/Store/StoreReader.swift")

    public static let plugin = ReaderPlugin(spec: spec, extensions: []) { path, display, options, _ throws(SourceError) in
        try StoreReader(path: path, display: display, options: options)
    }
}

final class StoreReader: SourceReader {
    let header: [String]
    let headerRow: Int? = nil
    let sheet: String? = nil
    let recordBased = true
    let openIssues: [Issue] = []
    private let store: Store
    private let period: String
    private let unit: String?
    private let display: String
    private var last: Int64 = 0
    private var done = false
    private var number = 0

    init(path: String, display: String, options: Options) throws(SourceError) {
        self.display = display
        period = options.string("period") ?? ""
        unit = options.string("unit").flatMap { $0.isEmpty ? nil : $0 }
        do {
            store = try Store(path: path, create: false)
            header = try store.fields(period: period, unit: unit)
        } catch let p as Store.Problem {
            throw SourceError(Origin(file: display), p.message)
        } catch {
            throw SourceError(Origin(file: display), Message(zh: "无法读取资料库：\(error)", en: "cannot read the store: \(error)"))
        }
        if header.isEmpty {
            let periods = (try? store.periods()) ?? []
            throw SourceError(Origin(file: display), Store.noPeriod(period, unit: unit, has: periods))
        }
    }

    func read(into sink: inout RowSink) throws(SourceError) -> Bool {
        guard !done else { return false }
        while !sink.isFull {
            let page: [(id: Int64, values: [String: String], row: Int)]
            do { page = try store.page(period: period, unit: unit, after: last, limit: 4096) } catch {
                throw SourceError(Origin(file: display), (error as? Store.Problem)?.message ?? Message(zh: "无法读取资料库：\(error)", en: "cannot read the store: \(error)"))
            }
            if page.isEmpty { done = true; return false }
            for r in page {
                number += 1
                sink.beginRow(number: number)
                for f in header { sink.cell(r.values[f] ?? "") }
                sink.endRow()
                last = r.id
            }
        }
        return true
    }

    func close() {}
}
