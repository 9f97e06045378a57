import Foundation

/// How a run is carried out (not what it does: that is the pipeline).
public struct RunOptions: Sendable {
    public var dryRun = false
    public var language: Language = .zh
    /// Overrides the pipeline's `personal_data` choice when set.
    public var masking: Masking?
    public var showProgress = true
    public var batchSize = 4096
    /// How many issues the result keeps for printing (all are counted, and all reach writers).
    public var keepIssues = 1000
    /// Bytes of a later table's batches read ahead, while the tables before it stream, at most
    /// (0: none; see ``BatchProducer``). An eighth of the memory, up to 1 GB.
    public var readAheadBytes = min(1 << 30, Int(ProcessInfo.processInfo.physicalMemory / 8))
    /// Name files as a user at the command line can follow them (relative to the current folder,
    /// else absolute) rather than as the pipeline writes them (relative to the pipeline's folder).
    public var pathsFromWorkingDirectory = false
    /// What to call a file in messages instead of its path (standard input, kept in a temporary file).
    public var names: [String: String] = [:]

    public init() {}
}

/// What a finished run hands back: the summary and the first issues, for printing.
public struct RunResult: Sendable {
    public var summary: RunSummary
    public var issues: [Issue]
}

/// Runs a pipeline in four phases, each a function below: **open** every source (so the layout is
/// known before the first row) and make the steps and writers; **stream** each source batch by
/// batch through the steps to the writers; **finish** (steps that count or review see the whole
/// run); **commit** every output together. Rows are never all held in memory. Any failure ends in
/// one cleanup path: the writers are aborted and nothing is left behind. Errors thrown are
/// ``TaizhangError``s.
public final class Runner {
    let pipeline: Pipeline
    let registry: Registry
    let options: RunOptions
    private var createdFolders: [String] = []
    private let folders: OutputFolders
    private lazy var progress = Progress(language: options.language, enabled: options.showProgress && isatty(STDERR_FILENO) == 1)
    /// Columns a source may have unless its reader's `max_columns` says more.
    public static let maxColumns = 16_384

    public init(pipeline: Pipeline, registry: Registry, options: RunOptions = RunOptions()) {
        self.pipeline = pipeline
        self.registry = registry
        self.options = options
        folders = OutputFolders()
    }

    /// A table of the same run: it shares the run's folder locks.
    init(pipeline: Pipeline, registry: Registry, options: RunOptions, folders: OutputFolders) {
        self.pipeline = pipeline
        self.registry = registry
        self.options = options
        self.folders = folders
    }

    struct Opened {
        var component: Component
        var reader: any SourceReader
        var display: String
        var columnMap: [Int] = []
        var info: SourceInfo?
        var issues: [Issue] = []
        /// Columns no field of the schema has a name for ("F 爱好"), kept as they are: the summary says so.
        var unknownColumns: [String] = []
        /// The file's size and modification time when it was opened.
        var stamp: FileStamp?
    }

    /// Size and modification time: a file that changes while it is read gives rows of two versions.
    struct FileStamp: Equatable {
        var size: Int
        var seconds: Int
        var nanoseconds: Int

        init?(_ path: String) {
            var st = stat()
            guard stat(path, &st) == 0 else { return nil }
            size = Int(st.st_size)
            seconds = Int(st.st_mtim.tv_sec)
            nanoseconds = Int(st.st_mtim.tv_nsec)
        }
    }

    public func run() throws -> RunResult {
        let started = Date()
        // The pipeline's tables, in order: this one, then those under `tables:`. Every table's steps
        // are made before any row is read, so a later table's lookups are known while the earlier
        // streams; then each table streams and finishes in turn; the outputs are put in place together.
        let runners = [self] + pipeline.tables.map { Runner(pipeline: $0, registry: registry, options: options, folders: folders) }
        let directory = TableDirectory(runners.map { .init(name: $0.pipeline.tableName, schema: $0.pipeline.schema) })
        var prepared: [Prepared] = []
        defer { for p in prepared { for o in p.opened { o.reader.close() } } }
        var producers: [BatchProducer] = []
        // (Before the readers close: a defer runs before those written above it.)
        defer { for p in producers { p.cancel() } }
        do {
            for (k, runner) in runners.enumerated() {
                directory.current = k
                prepared.append(try runner.prepare(directory))
            }
            // Writers (which may create output folders) once every table's steps are made.
            for k in prepared.indices { prepared[k].writers = try prepared[k].runner.makeWriters(prepared[k].layout, prepared[k].context) }
            // Each table's reading, made now: a later table's reads ahead while the first streams,
            // each within its share of the budget.
            for k in prepared.indices {
                let p = prepared[k]
                let ahead = k > 0 && options.readAheadBytes > 0
                producers.append(BatchProducer(order: p.runner.readingOrder(p.opened), steps: ahead ? Array(p.steps[..<p.independent]) : [],
                                               sink: { p.runner.sink(for: $0, layout: p.layout) },
                                               arrive: { batch, o, first in p.runner.arrive(&batch, from: o, first: first, layout: p.layout) }))
                if ahead { producers[k].readAhead(budget: options.readAheadBytes / (prepared.count - 1)) }
            }
            var tallies: [Tally] = []
            for (k, p) in prepared.enumerated() {
                var tally = try p.runner.stream(p.opened, steps: p.steps, writers: p.writers, producer: producers[k]) { directory.keep($0, table: k) }
                tally.summary.seconds = Date().timeIntervalSince(started)
                try p.runner.finish(&tally, steps: p.steps)
                tallies.append(tally)
            }
            var summaries = tallies.map(\.summary)
            var sealed: [AtomicOutput] = []
            var shown: [String: String] = [:]
            var planned: [String] = []
            var summary: RunSummary
            do {
                for (k, p) in prepared.enumerated() { sealed += try p.runner.seal(p.writers, &summaries[k], shown: &shown, planned: &planned) }
                summary = summaries[0]
                for other in summaries.dropFirst() { summary.absorb(other) }
                Checkpoint.reach("commit")
                let placed = try OutputSet.commit(sealed)
                summary.keptPrevious = placed.compactMap { p in p.keptPrevious.map { _ in AtomicOutput.versionName(shown[p.path] ?? p.path, 1) } }
            } catch {
                sealed.forEach { $0.abort() }
                throw error
            }
            summary.seconds = Date().timeIntervalSince(started)
            return RunResult(summary: summary, issues: tallies.flatMap(\.kept))
        } catch {
            for p in prepared { p.writers.forEach { $0.abort() } }
            throw error.asTaizhangError
        }
    }

    /// One table ready to stream: its sources open, its steps made, then its writers.
    struct Prepared {
        var runner: Runner
        var opened: [Opened]
        var layout: Layout
        var steps: [any Step]
        /// How many of the first steps look up no earlier table and hold no rows (they can run ahead).
        var independent: Int
        var context: PluginContext
        var writers: [any Writer] = []
    }

    /// One table's sources opened and its steps made (its writers are made after every table's steps).
    func prepare(_ directory: TableDirectory) throws -> Prepared {
        var context = PluginContext(schema: pipeline.schema, language: options.language,
                                    masking: options.masking ?? pipeline.masking, batchSize: options.batchSize)
        context.registry = registry
        context.pipelineFile = pipeline.file
        context.store = pipeline.store
        context.tables = directory
        var opened = try openSources(context)
        do {
            let layout = buildLayout(&opened)
            var steps: [any Step] = []
            var waits: [Bool] = [], shares: [Set<ObjectIdentifier>] = []
            for c in pipeline.steps {
                let lookups = directory.lookups, asked = context.shared.asked.count
                let step = try registry.require(.step, c.name, registry.steps).make(c.options, layout, context)
                waits.append(directory.lookups != lookups || step is any HoldingStep)
                shares.append(Set(context.shared.asked[asked...]))
                steps.append(step)
            }
            return Prepared(runner: self, opened: opened, layout: layout, steps: steps, independent: Self.independent(waits, shares), context: context)
        } catch {
            for o in opened { o.reader.close() }
            throw error
        }
    }

    /// How many of a table's first steps can run ahead of its turn (``BatchProducer``): those before
    /// the first that `waits` (it looks up an earlier table, or holds rows) — less any that shares an
    /// object (``TableShared``, `shares`: the kinds each step asked for) with a step from there on,
    /// which must stay on that step's thread.
    static func independent(_ waits: [Bool], _ shares: [Set<ObjectIdentifier>]) -> Int {
        var n = waits.firstIndex(of: true) ?? waits.count
        while let k = (0..<n).first(where: { i in (n..<shares.count).contains { !shares[$0].isDisjoint(with: shares[i]) } }) { n = k }
        return n
    }

    // MARK: Open

    /// Opens every source; `sheet: all` makes one source per sheet.
    func openSources(_ context: PluginContext) throws -> [Opened] {
        var opened: [Opened] = []
        do {
            for input in pipeline.inputs {
                let plugin = try registry.require(.reader, input.name, registry.readers)
                let path = input.options.path("path") ?? ""
                let display = show(path, written: input.options.string("path"))
                var variants = [input.options]
                if let sheets = plugin.sheets, input.options.string("sheet") == "all" {
                    variants = try sheets(path, display).map { input.options.setting("sheet", to: $0) }
                }
                let stamp = FileStamp(path)
                for options in variants {
                    let r = try plugin.open(path, display, options, context)
                    // Every reader, whatever its format: no more columns than the limit (Excel's).
                    let limit = max(Self.maxColumns, options.int("max_columns") ?? Self.maxColumns)
                    if r.header.count > limit {
                        r.close()
                        throw SourceError(Origin(file: display, sheet: r.sheet, row: r.headerRow),
                                          Message(zh: "表头有 \(r.header.count) 列，超过上限 \(limit)（与 Excel 相同），不像台账，未读取",
                                                  en: "the header has \(r.header.count) columns, over the limit of \(limit) (as in Excel); not a ledger, not read"))
                    }
                    opened.append(Opened(component: input, reader: r, display: display, issues: r.openIssues, stamp: stamp))
                }
            }
        } catch {
            for o in opened { o.reader.close() }
            throw error
        }
        return opened
    }

    /// A file's name in messages and the summary (see ``RunOptions/pathsFromWorkingDirectory``).
    func show(_ resolved: String, written: String?) -> String {
        if let name = options.names[resolved] { return name }
        return options.pathsFromWorkingDirectory ? Options.display(resolved) : (written ?? resolved)
    }

    /// The writers (none on a dry run); if one cannot be made, those made before are aborted.
    func makeWriters(_ layout: Layout, _ context: PluginContext) throws -> [any Writer] {
        guard !options.dryRun else { return [] }
        for folder in pipeline.foldersToCreate where !FileManager.default.fileExists(atPath: folder) {
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw OutputError(path: folder, reason: Message(zh: "无法创建输出文件夹", en: "cannot create the output folder").text(options.language))
            }
            createdFolders.append(folder)
        }
        // One run at a time per output folder; what dead runs left there goes.
        try folders.claim(pipeline.outputs.compactMap { c in
            c.options.path("path").flatMap { AtomicOutput.namesStandardOutput($0) || FileIdentity.isSpecial($0) ? nil : URL(fileURLWithPath: $0).deletingLastPathComponent().path }
        })
        var writers: [any Writer] = []
        do {
            for c in pipeline.outputs {
                writers.append(try registry.require(.writer, c.name, registry.writers).make(c.options.path("path") ?? "", c.options, layout, context))
            }
        } catch {
            writers.forEach { $0.abort() }
            throw error
        }
        return writers
    }

    // MARK: Stream

    /// What the stream phase has counted so far.
    struct Tally {
        var summary: RunSummary
        var counts: [Int: RunSummary.SourceCounts] = [:]
        var kept: [Issue] = []
        let keepIssues: Int

        mutating func count(_ batch: Batch) {
            let q = batch.hasError.lazy.filter { $0 }.count
            counts[batch.source.index]!.quarantined += q
            counts[batch.source.index]!.accepted += batch.count - q
            counts[batch.source.index]!.skipped += batch.skipped.count
            // A previous period's ledger is compared with, never written or reported on.
            guard batch.source.role != .previous else { return }
            for s in batch.skipped { summary.skipReasons[s.reason, default: 0] += 1 }
            // A batch's changes come under a few rules, most the same `Message` value: counted
            // here by a short list (== on the same strings is a pointer test), hashed once a batch.
            var rules: [(rule: Message, count: Int)] = []
            for c in batch.changes {
                if let k = rules.firstIndex(where: { $0.rule == c.rule }) { rules[k].count += 1 } else { rules.append((c.rule, 1)) }
            }
            for (rule, n) in rules { summary.changeCounts[rule, default: 0] += n }
            for issue in batch.issues { note(issue) }
        }

        mutating func note(_ issue: Issue) {
            summary.issueCounts[issue.code, default: [:]][issue.severity, default: 0] += 1
            if kept.count < keepIssues { kept.append(issue) }
        }
    }

    /// Every source through the steps to the writers (on their own thread). A previous period's
    /// ledgers are read first, wherever the pipeline lists them, so a step comparing this period
    /// with the last has them in hand; the summary keeps the pipeline's order. `producer` reads
    /// the sources (and may have run the first steps, reading ahead while an earlier table streamed).
    func stream(_ opened: [Opened], steps: [any Step], writers: [any Writer], producer: BatchProducer, keep: (Batch) -> Void = { _ in }) throws -> Tally {
        var tally = Tally(summary: RunSummary(pipeline: pipeline.name), keepIssues: options.keepIssues)
        tally.summary.dryRun = options.dryRun
        defer { progress.finish() }
        let output = BatchConsumer(writers: writers)
        output.start()
        // On any failure the writer thread is stopped before the writers are aborted.
        defer { output.cancel() }

        var streaming = false
        /// A batch from step `from` on: through the rest of the steps (unless one holds it until
        /// every row is read), to the writers, and into the counts.
        func deliver(_ batch: Batch, from: Int) throws {
            var batch = batch
            for k in from..<steps.count {
                try steps[k].process(&batch)
                if let h = steps[k] as? any HoldingStep, h.hold(batch) { return }
            }
            if batch.source.role != .previous { keep(batch); try output.send(batch) }
            tally.count(batch)
            if !streaming { streaming = true; Checkpoint.reach("stream") }
        }
        var totalRows = 0
        let order = readingOrder(opened)
        // The share done: bytes of the files read, and of this one as far as its reader can tell.
        let totalBytes = order.reduce(0) { $0 + ($1.stamp?.size ?? 0) }
        var bytesDone = 0
        var entered = -1
        /// The sources up to `n` have begun (each is counted, in the summary, from its start).
        func enter(_ n: Int) {
            while entered < n {
                entered += 1
                let o = order[entered]
                var c = RunSummary.SourceCounts(file: o.display, sheet: o.reader.sheet, reader: o.component.name)
                c.role = o.component.role
                c.unknownColumns = o.unknownColumns
                tally.counts[o.info!.index] = c
            }
        }
        producer.begin()
        defer { producer.cancel() }
        while true {
            let item: BatchProducer.Item?
            do { item = try producer.next() } catch {
                // A file cut short mid-read fails in odd places (a character cut in two): say what happened.
                throw changed(order[error.source]) ?? error.error
            }
            guard let item else { break }
            switch item {
            case .batch(let batch, let n, let fraction):
                enter(n)
                let o = order[n]
                do {
                    totalRows += batch.count + batch.skipped.count
                    try deliver(batch, from: producer.steps)
                    for (k, step) in steps.enumerated() {
                        guard let h = step as? any HoldingStep else { continue }
                        for held in try h.releaseEarly() { try deliver(held, from: k + 1) }
                    }
                } catch {
                    throw changed(o) ?? error
                }
                let here = fraction.map { Double(o.stamp?.size ?? 0) * $0 } ?? 0
                progress.update(file: o.display, index: n + 1, of: order.count, rows: totalRows,
                                done: totalBytes > 0 ? (Double(bytesDone) + here) / Double(totalBytes) : nil)
            case .end(let n, let rowsRead):
                enter(n)
                let o = order[n]
                tally.counts[o.info!.index]!.read = rowsRead
                bytesDone += o.stamp?.size ?? 0
                if let e = changed(o) { throw e }
            }
        }
        // Steps that held rows until all were read give them back, to the steps after them.
        for (k, step) in steps.enumerated() {
            guard let h = step as? any HoldingStep else { continue }
            for batch in try h.release() { try deliver(batch, from: k + 1) }
        }
        try output.finish()
        for c in tally.counts.values where !c.balanced {
            throw InternalError(Message(
                zh: "\(c.file)：读取 \(c.read) 行，但接受 \(c.accepted) + 隔离 \(c.quarantined) + 跳过 \(c.skipped) 行，不相符",
                en: "\(c.file): read \(c.read) rows but accepted \(c.accepted) + quarantined \(c.quarantined) + skipped \(c.skipped) do not add up"))
        }
        tally.summary.sources = tally.counts.sorted { $0.key < $1.key }.map(\.value)
        return tally
    }

    /// The sources in the order they are read: a previous period's first.
    func readingOrder(_ opened: [Opened]) -> [Opened] {
        opened.filter { $0.component.role == .previous } + opened.filter { $0.component.role != .previous }
    }

    /// The sink a source's reader fills.
    func sink(for o: Opened, layout: Layout) -> RowSink {
        RowSink(layout: layout, source: o.info!, columnMap: o.columnMap, capacity: options.batchSize)
    }

    /// What each batch gets as it comes from its reader, before any step: the source's own issues
    /// (on its first batch) and the input's `set:` values.
    func arrive(_ batch: inout Batch, from o: Opened, first: Bool, layout: Layout) {
        if first {
            batch.prependSourceIssues(o.issues)
            if o.reader.sheet == nil, let s = o.component.set.first(where: { $0.template.contains("${sheet}") }) {
                batch.reportSource(code: "set-no-sheet", severity: .warning,
                                   message: Message(zh: "set：此文件没有工作表，「\(s.field)」的 ${sheet} 为空，未填写", en: "set: this file has no sheets; ${sheet} for '\(s.field)' is empty and nothing was written"),
                                   suggestion: Message(zh: "给这类文件另写一个输入，用常量或 ${file_stem}", en: "give such files an input of their own, with a constant or ${file_stem}"))
            }
        }
        for (f, value) in setValues(o, layout: layout) {
            for r in 0..<batch.count where batch.isEmpty(row: r, field: f) { batch.set(row: r, field: f, value, rule: Self.setRule) }
        }
    }

    static let setRule = Message(zh: "按输入的 set: 填写", en: "written by the input's set:")

    /// The input's `set:` for this source: layout column and value (`${sheet}`, `${file}`,
    /// `${file_stem}` filled in).
    func setValues(_ o: Opened, layout: Layout) -> [(Int, String)] {
        let file = URL(fileURLWithPath: o.display).lastPathComponent
        let stem = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        return o.component.set.compactMap { s in
            guard let f = layout.index(of: s.field), !s.template.isEmpty else { return nil }
            let v = Self.expand(s.template, ["sheet": o.reader.sheet ?? "", "file": file, "file_stem": stem])
            return v.isEmpty ? nil : (f, v)
        }
    }

    /// `${name}` replaced by its value in one pass (a value is never expanded again); `$${` is `${`.
    static func expand(_ template: String, _ values: [String: String]) -> String {
        var out = ""
        var rest = Substring(template)
        while let r = rest.range(of: "${") {
            if r.lowerBound > rest.startIndex, rest[rest.index(before: r.lowerBound)] == "$" {
                out += rest[..<rest.index(before: r.lowerBound)] + "${"
                rest = rest[r.upperBound...]
                continue
            }
            out += rest[..<r.lowerBound]
            guard let end = rest[r.upperBound...].firstIndex(of: "}"), let v = values[String(rest[r.upperBound..<end])] else {
                out += "${"
                rest = rest[r.upperBound...]
                continue
            }
            out += v
            rest = rest[rest.index(after: end)...]
        }
        return out + rest
    }

    /// The error for a source whose file changed since it was opened, if it did.
    func changed(_ o: Opened) -> SourceError? {
        guard let before = o.stamp, let path = o.component.options.path("path"), FileStamp(path) != before else { return nil }
        return SourceError(Origin(file: o.display, sheet: o.reader.sheet),
                           Message(zh: "文件在读取过程中被改动（或被截断），读到的内容不可信；未写出任何文件",
                                   en: "the file changed (or was cut short) while it was read; what was read cannot be trusted; nothing written"),
                           suggestion: Message(zh: "等文件写完、不再变动后重新运行", en: "run again once the file is complete and no longer changing"))
    }

    // MARK: Finish

    /// Steps that count (returns) or ask for review see the whole run.
    func finish(_ tally: inout Tally, steps: [any Step]) throws {
        tally.summary.createdFolders = createdFolders
        tally.summary.staleTemporariesRemoved = folders.removedStale.count
        for step in steps {
            guard let f = step as? any FinishingStep else { continue }
            let (tables, found) = try f.finish(tally.summary)
            // The table's `severity:` holds for what a step finds at the end as for its rows' issues.
            let issues = found.compactMap { issue -> Issue? in
                var i = issue
                guard let s = i.severity.overridden(for: i.code, by: pipeline.severityOverrides) else { return nil }
                i.severity = s
                return i
            }
            tally.summary.tables += tables
            tally.summary.runIssues += issues
            for issue in issues { tally.summary.issueCounts[issue.code, default: [:]][issue.severity, default: 0] += 1 }
            tally.kept += Self.keptForTheScreen(issues, rows: tally.keepIssues)
        }
        for step in steps { if let r = step as? any ReviewingStep { tally.summary.reviews += r.reviewSets() } }
    }

    /// What the result keeps for printing of a finishing step's issues (all are counted and
    /// written): each about a file or the whole run, and of rows as many as a table's batches keep,
    /// the first by file and row as the screen orders them — a step may raise one per person, in
    /// the order it found them. In the order given.
    static func keptForTheScreen(_ issues: [Issue], rows limit: Int) -> [Issue] {
        var fileRank: [String: Int] = [:]
        let byRow = issues.indices.compactMap { k -> (Int, Int, Int)? in
            guard let row = issues[k].origin.row else { return nil }
            let file = issues[k].origin.file
            let rank = fileRank[file] ?? fileRank.count
            fileRank[file] = rank
            return (rank, row, k)
        }
        guard byRow.count > limit else { return issues }
        let shown = Set(byRow.sorted { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }.prefix(limit).map(\.2))
        return issues.indices.filter { issues[$0].origin.row == nil || shown.contains($0) }.map { issues[$0] }
    }

    // MARK: Commit

    /// Every writer writes the rest and seals its outputs (put in place, with every table's, by `run`).
    func seal(_ writers: [any Writer], _ summary: inout RunSummary, shown: inout [String: String], planned: inout [String]) throws -> [AtomicOutput] {
        var sealed: [AtomicOutput] = []
        if !writers.isEmpty {
            progress.phase(Message(zh: "正在写出 \(writers.count) 个输出文件……", en: "writing \(writers.count) outputs…"))
        }
        defer { progress.finish() }
        do {
            // Named as the pipeline names them (out/表.xlsx); a file a writer adds goes beside its path.
            var every: [String] = []
            summary.outputs = []
            for (w, c) in zip(writers, pipeline.outputs) {
                let declared = c.options.path("path") ?? ""
                let display = show(declared, written: c.options.string("path"))
                for p in try w.outputPaths(declared: declared) {
                    let d = p == declared ? display
                        : ((display as NSString).deletingLastPathComponent as NSString).appendingPathComponent((p as NSString).lastPathComponent)
                    shown[p] = d
                    every.append(p)
                    summary.outputs.append(d)
                }
            }
            // A file a writer names for itself (one workbook per community) is held to the same rules
            // as the pipeline's paths: not a file the run reads, not another output.
            for p in every where !AtomicOutput.namesStandardOutput(p) && !FileIdentity.isSpecial(p) {
                if let r = pipeline.readFiles.first(where: { FileIdentity.same(p, $0) }) {
                    throw OutputError(path: shown[p] ?? p, reason: options.language == .zh ? "会覆盖本次运行要读取的文件 \(r)" : "would overwrite \(r), which this run reads")
                }
                if let q = planned.first(where: { FileIdentity.same(p, $0) || p == $0 }) {
                    throw OutputError(path: shown[p] ?? p, reason: options.language == .zh ? "与另一个输出 \(shown[q] ?? q) 是同一个文件" : "is the same file as another output, \(shown[q] ?? q)")
                }
                planned.append(p)
            }
            for w in writers { sealed += try w.finish(summary) }
            summary.writerLines = writers.compactMap(\.summaryLine)
        } catch {
            sealed.forEach { $0.abort() }
            throw error
        }
        return sealed
    }

    /// Maps each source's headers onto the schema (by name and aliases, compared by
    /// ``Schema/headerKey(_:)``), and gathers the columns the schema lacks as extras.
    func buildLayout(_ opened: inout [Opened]) -> Layout {
        var extras = ExtraColumns()
        var plans = opened.indices.map { k in plan(&opened[k], extras: &extras) }
        // Fields `when_present` that no source has (nor sets) are not part of this run's ledger.
        var schema = pipeline.schema
        let present = Set(plans.flatMap { $0.compactMap(\.field) })
            .union(opened.flatMap { o in o.component.set.compactMap { s in schema.fields.firstIndex { $0.name == s.field } } })
        let kept = schema.fields.indices.filter { !schema.fields[$0].whenPresent || present.contains($0) }
        if kept.count < schema.fields.count {
            let to = Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($1, $0) })
            schema.fields = kept.map { schema.fields[$0] }
            plans = plans.map { $0.map { (field: $0.field.flatMap { to[$0] }, extra: $0.extra) } }
        }
        let layout = Layout(schema: schema, extras: extras.names, severityOverrides: pipeline.severityOverrides)
        for k in opened.indices { place(&opened[k], index: k, plan: plans[k], layout: layout, extras: extras) }
        return layout
    }

    /// Extra columns (not in the schema) in first-seen order.
    struct ExtraColumns {
        var names: [String] = []
        var index: [String: Int] = [:]
        mutating func add(_ name: String) {
            if index[name] == nil { index[name] = names.count; names.append(name) }
        }
    }

    /// Per source column: the schema field it fills, or the extra column it is kept as. Reports
    /// headers that repeat and required fields without a column.
    func plan(_ o: inout Opened, extras: inout ExtraColumns) -> [(field: Int?, extra: String?)] {
        let schema = pipeline.schema
        let index = schema.headerIndex()
        let r = o.reader
        var taken: [Int: Int] = [:]      // field → source column
        var namesUsed: Set<String> = []
        var plan: [(field: Int?, extra: String?)] = []
        for (j, h) in r.header.enumerated() {
            let letter = r.recordBased ? nil : Origin.columnLetter(j)
            let place = letter ?? "\(j + 1)"
            let matched = HeaderDetector.match(h, index)
            if let f = matched, taken[f] == nil {
                taken[f] = j
                plan.append((f, nil))
                continue
            }
            var name = h.trimmingCharacters(in: .whitespaces)
            if name.isEmpty { name = (options.language == .zh ? "列" : "column ") + place }
            let origin = Origin(file: o.display, sheet: r.sheet, row: r.headerRow, column: letter, header: h)
            // A column no field answers to (one repeating a field's is said below). Digits of an ID
            // number or a phone are a data row's, not a header's: never shown.
            let text = h.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
            if matched == nil && !text.isEmpty && text.filter(\.isASCII).filter(\.isNumber).count < 6 {
                o.unknownColumns.append((letter.map { "\($0) " } ?? "") + text)
            }
            if let f = matched, let firstCol = taken[f] {
                let firstLetter = r.recordBased ? r.header[firstCol] : Origin.columnLetter(firstCol)
                o.issues.append(Issue(code: "duplicate-header", severity: .warning, origin: origin, field: schema.fields[f].name,
                    message: Message(zh: "「\(h)」与 \(firstLetter) 列都对应字段「\(schema.fields[f].name)」；取 \(firstLetter) 列，本列作为附加列保留",
                                     en: "'\(h)' and column \(firstLetter) both map to field '\(schema.fields[f].name)'; column \(firstLetter) is used, this one is kept as an extra column"),
                    suggestion: Message(zh: "删除或改名其中一列", en: "remove or rename one of the columns"), personal: false))
                name = "\(name)（\(place)）"
            } else if namesUsed.contains(name) || schema.field(named: name) != nil {
                o.issues.append(Issue(code: "duplicate-header", severity: .warning, origin: origin,
                    message: Message(zh: "表头「\(h)」重复；本列改名为「\(name)（\(place)）」保留", en: "header '\(h)' appears twice; this column is kept as '\(name) (\(place))'"),
                    personal: false))
                name = "\(name)（\(place)）"
            }
            namesUsed.insert(name)
            plan.append((nil, name))
            extras.add(name)
        }
        // A header that names no field is a data row taken for one (a file without a header): its
        // cells are not listed as columns.
        if taken.isEmpty { o.unknownColumns = [] }
        // A required field the source has no column for: every row will miss it; say so once.
        let set = Set(o.component.set.map(\.field))
        for (f, field) in schema.fields.enumerated() where field.required && taken[f] == nil && !r.header.isEmpty && !set.contains(field.name) {
            o.issues.append(Issue(code: "missing-column", severity: .warning,
                origin: Origin(file: o.display, sheet: r.sheet, row: r.headerRow), field: field.name,
                message: Message(zh: "表头中没有必填字段「\(field.name)」的列（可用的列名：\(([field.name] + field.aliases).joined(separator: "、"))）",
                                 en: "the header has no column for required field '\(field.name)' (accepted names: \(([field.name] + field.aliases).joined(separator: ", ")))"),
                personal: false))
        }
        return plan
    }

    /// Gives a source its column map (source column → layout column) and its `SourceInfo`.
    func place(_ o: inout Opened, index k: Int, plan: [(field: Int?, extra: String?)], layout: Layout, extras: ExtraColumns) {
        let r = o.reader
        var letters = [String?](repeating: nil, count: layout.count)
        var headers = [String?](repeating: nil, count: layout.count)
        var map: [Int] = []
        for (j, p) in plan.enumerated() {
            let col = p.field ?? (layout.schema.fields.count + extras.index[p.extra!]!)
            map.append(col)
            letters[col] = r.recordBased ? nil : Origin.columnLetter(j)
            headers[col] = r.header[j]
        }
        o.columnMap = map
        o.info = SourceInfo(index: k, file: o.display, sheet: r.sheet, columnLetters: letters, headers: headers, recordBased: r.recordBased)
        o.info!.setFields = Set(o.component.set.compactMap { layout.index(of: $0.field) })
        o.info!.role = o.component.role
        o.info!.headerRow = r.recordBased ? nil : r.headerRow
    }
}
