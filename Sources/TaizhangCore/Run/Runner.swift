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

    public init() {}
}

/// Why a run stopped. Each maps to an exit code (see README): configuration problems are 2,
/// unreadable inputs and unwritable outputs are 3.
public enum RunError: Error, Sendable {
    case configuration(Diagnostics)
    case source(SourceError)
    case output(Message)
    case internalError(Message)

    public var exitCode: Int32 {
        switch self {
        case .configuration(let d): return d.isIO ? 3 : 2
        case .source, .output: return 3
        case .internalError: return 70
        }
    }

    public func text(_ lang: Language) -> String {
        switch self {
        case .configuration(let d): return d.text(lang)
        case .source(let e): return e.text(lang)
        case .output(let m): return (lang == .zh ? "错误：" : "error: ") + m.text(lang)
        case .internalError(let m): return (lang == .zh ? "内部错误：" : "internal error: ") + m.text(lang)
        }
    }
}

/// What a finished run hands back: the summary and the first issues, for printing.
public struct RunResult: Sendable {
    public var summary: RunSummary
    public var issues: [Issue]
}

/// Runs a pipeline: opens every source (so the layout is known before the first row), then
/// streams each source batch by batch through the steps to the writers, and commits the
/// outputs only when everything went through. Rows are never all held in memory.
public final class Runner {
    let pipeline: Pipeline
    let registry: Registry
    let options: RunOptions

    public init(pipeline: Pipeline, registry: Registry, options: RunOptions = RunOptions()) {
        self.pipeline = pipeline
        self.registry = registry
        self.options = options
    }

    struct Opened {
        var component: Component
        var reader: any SourceReader
        var display: String
        var columnMap: [Int] = []
        var info: SourceInfo?
        var issues: [Issue] = []
    }

    public func run() throws(RunError) -> RunResult {
        let started = Date()
        let masking = options.masking ?? pipeline.masking
        var context = PluginContext(schema: pipeline.schema, language: options.language, masking: masking, batchSize: options.batchSize)
        context.batchSize = options.batchSize
        context.registry = registry

        // 1. Open every source and learn its columns.
        var opened: [Opened] = []
        defer { for o in opened { o.reader.close() } }
        for input in pipeline.inputs {
            guard let plugin = registry.readers[input.name] else {
                throw .internalError(Message(zh: "读取插件 \(input.name) 未注册", en: "reader \(input.name) is not registered"))
            }
            let path = input.options.path("path") ?? ""
            let display = input.options.string("path") ?? path
            do {
                // `sheet: all` makes one source per sheet.
                var variants = [input.options]
                if let sheets = plugin.sheets, input.options.string("sheet") == "all" {
                    variants = try sheets(path, display).map { input.options.setting("sheet", to: $0) }
                }
                for options in variants {
                    let r = try plugin.open(path, display, options, context)
                    opened.append(Opened(component: input, reader: r, display: display, issues: r.openIssues))
                }
            } catch {
                throw .source(error)
            }
        }

        // 2. One layout for the run: schema fields, then extra columns in first-seen order.
        let layout = buildLayout(&opened)

        // 3. Steps and writers.
        var steps: [any Step] = []
        for c in pipeline.steps {
            guard let p = registry.steps[c.name] else { throw .internalError(Message(zh: "步骤 \(c.name) 未注册", en: "step \(c.name) is not registered")) }
            do { steps.append(try p.make(c.options, layout, context)) } catch { throw .configuration(error) }
        }
        var writers: [any Writer] = []
        var outputPaths: [String] = []
        if !options.dryRun {
            for c in pipeline.outputs {
                guard let p = registry.writers[c.name] else { throw .internalError(Message(zh: "输出插件 \(c.name) 未注册", en: "writer \(c.name) is not registered")) }
                let path = c.options.path("path") ?? ""
                do {
                    writers.append(try p.make(path, c.options, layout, context))
                    outputPaths.append(c.options.string("path") ?? path)
                } catch let e as OutputError {
                    writers.forEach { $0.abort() }
                    throw .output(e.message)
                } catch let e as Diagnostics {
                    writers.forEach { $0.abort() }
                    throw .configuration(e)
                } catch {
                    writers.forEach { $0.abort() }
                    throw .output(Message(zh: "无法创建输出 \(path)：\(error)", en: "cannot create output \(path): \(error)"))
                }
            }
        }

        // 4. Stream.
        var summary = RunSummary(pipeline: pipeline.name)
        summary.dryRun = options.dryRun
        var kept: [Issue] = []
        let progress = Progress(language: options.language, enabled: options.showProgress && isatty(STDERR_FILENO) == 1)
        var totalRows = 0
        let output = BatchConsumer(writers: writers)
        output.start()
        // On any failure the writer thread is stopped before the writers are aborted.
        defer { output.cancel() }
        do {
            // A previous period's ledgers are read first, wherever the pipeline lists them, so a step
            // comparing this period with the last (duplicates: joiners and leavers) has them in hand;
            // the summary keeps the pipeline's order.
            var counts: [Int: RunSummary.SourceCounts] = [:]
            /// A batch from step `from` on: through the rest of the steps (unless one holds it
            /// until every row is read), to the writers, and into the counts.
            func deliver(_ batch: Batch, from: Int) throws {
                var batch = batch
                for k in from..<steps.count {
                    try steps[k].process(&batch)
                    if let h = steps[k] as? any HoldingStep, h.hold(batch) { return }
                }
                let previous = batch.source.role == .previous
                // A previous period's ledger is compared with, never written or reported on.
                if !previous { try output.send(batch) }
                let q = batch.hasError.lazy.filter { $0 }.count
                counts[batch.source.index]!.quarantined += q
                counts[batch.source.index]!.accepted += batch.count - q
                counts[batch.source.index]!.skipped += batch.skipped.count
                guard !previous else { return }
                for s in batch.skipped { summary.skipReasons[s.reason, default: 0] += 1 }
                for c in batch.changes { summary.changeCounts[c.rule, default: 0] += 1 }
                for issue in batch.issues {
                    summary.issueCounts[issue.code, default: [:]][issue.severity, default: 0] += 1
                    if kept.count < options.keepIssues { kept.append(issue) }
                }
            }
            for o in opened.filter({ $0.component.role == .previous }) + opened.filter({ $0.component.role != .previous }) {
                var c = RunSummary.SourceCounts(file: o.display, sheet: o.reader.sheet, reader: o.component.name)
                c.role = o.component.role
                counts[o.info!.index] = c
                let producer = BatchProducer(reader: o.reader, sink: RowSink(layout: layout, source: o.info!, columnMap: o.columnMap, capacity: options.batchSize))
                producer.start()
                defer { producer.cancel() }
                var first = true
                while true {
                    let next: Batch?
                    do { next = try producer.next() } catch { throw RunError.source(error) }
                    guard var batch = next else { break }
                    if first { batch.prependSourceIssues(o.issues); first = false }
                    totalRows += batch.count + batch.skipped.count
                    try deliver(batch, from: 0)
                    progress.update(file: o.display, rows: totalRows)
                }
                counts[o.info!.index]!.read = producer.rowsRead
            }
            // Steps that held rows until all were read give them back, to the steps after them.
            for k in steps.indices {
                guard let h = steps[k] as? any HoldingStep else { continue }
                for batch in try h.release() { try deliver(batch, from: k + 1) }
            }
            for c in counts.values where !c.balanced {
                throw RunError.internalError(Message(
                    zh: "\(c.file)：读取 \(c.read) 行，但接受 \(c.accepted) + 隔离 \(c.quarantined) + 跳过 \(c.skipped) 行，不相符",
                    en: "\(c.file): read \(c.read) rows but accepted \(c.accepted) + quarantined \(c.quarantined) + skipped \(c.skipped) do not add up"))
            }
            summary.sources = counts.sorted { $0.key < $1.key }.map(\.value)
            progress.finish()
            summary.seconds = Date().timeIntervalSince(started)
            summary.outputs = outputPaths
            for step in steps {
                guard let f = step as? any FinishingStep else { continue }
                let (tables, issues) = try f.finish(summary)
                summary.tables += tables
                summary.runIssues += issues
                for issue in issues {
                    summary.issueCounts[issue.code, default: [:]][issue.severity, default: 0] += 1
                    kept.append(issue)
                }
            }
            for step in steps { if let r = step as? any ReviewingStep { summary.reviews += r.reviewSets() } }
            try output.finish()
            for w in writers { try w.commit(summary) }
        } catch let e as RunError {
            progress.finish()
            output.cancel()
            writers.forEach { $0.abort() }
            throw e
        } catch let e as OutputError {
            progress.finish()
            output.cancel()
            writers.forEach { $0.abort() }
            throw .output(e.message)
        } catch let e as StepFailure {
            progress.finish()
            output.cancel()
            writers.forEach { $0.abort() }
            throw .output(e.message)
        } catch let e as Diagnostics {
            progress.finish()
            output.cancel()
            writers.forEach { $0.abort() }
            throw .configuration(e)
        } catch {
            progress.finish()
            output.cancel()
            writers.forEach { $0.abort() }
            throw .internalError(Message(zh: "\(error)", en: "\(error)"))
        }
        summary.seconds = Date().timeIntervalSince(started)
        return RunResult(summary: summary, issues: kept)
    }

    /// Maps each source's headers onto the schema (by name and aliases, compared by
    /// ``Schema/headerKey(_:)``), and gathers the columns the schema lacks as extras.
    func buildLayout(_ opened: inout [Opened]) -> Layout {
        let schema = pipeline.schema
        let index = schema.headerIndex()
        var extras: [String] = []
        var extraIndex: [String: Int] = [:]
        // Per source: source column → (schema field index) or (extra name).
        var plans: [[(field: Int?, extra: String?)]] = []
        for k in opened.indices {
            let r = opened[k].reader
            var taken: [Int: Int] = [:]      // field → source column
            var namesUsed: Set<String> = []
            var plan: [(field: Int?, extra: String?)] = []
            for (j, h) in r.header.enumerated() {
                let letter = r.recordBased ? nil : Origin.columnLetter(j)
                if let f = HeaderDetector.match(h, index), taken[f] == nil {
                    taken[f] = j
                    plan.append((f, nil))
                    continue
                }
                var name = h.trimmingCharacters(in: .whitespaces)
                if name.isEmpty { name = opened[k].display + "·" + (letter ?? "\(j + 1)") ; name = (options.language == .zh ? "列" : "column ") + (letter ?? "\(j + 1)") }
                if let f = HeaderDetector.match(h, index), let firstCol = taken[f] {
                    let firstLetter = r.recordBased ? r.header[firstCol] : Origin.columnLetter(firstCol)
                    opened[k].issues.append(Issue(code: "duplicate-header", severity: .warning,
                        origin: Origin(file: opened[k].display, sheet: r.sheet, row: r.headerRow, column: letter, header: h),
                        field: schema.fields[f].name,
                        message: Message(zh: "「\(h)」与 \(firstLetter) 列都对应字段「\(schema.fields[f].name)」；取 \(firstLetter) 列，本列作为附加列保留",
                                         en: "'\(h)' and column \(firstLetter) both map to field '\(schema.fields[f].name)'; column \(firstLetter) is used, this one is kept as an extra column"),
                        suggestion: Message(zh: "删除或改名其中一列", en: "remove or rename one of the columns"), personal: false))
                    name = "\(name)（\(letter ?? "\(j + 1)")）"
                } else if namesUsed.contains(name) || schema.field(named: name) != nil {
                    opened[k].issues.append(Issue(code: "duplicate-header", severity: .warning,
                        origin: Origin(file: opened[k].display, sheet: r.sheet, row: r.headerRow, column: letter, header: h),
                        message: Message(zh: "表头「\(h)」重复；本列改名为「\(name)（\(letter ?? "\(j + 1)")）」保留",
                                         en: "header '\(h)' appears twice; this column is kept as '\(name) (\(letter ?? "\(j + 1)"))'"),
                        personal: false))
                    name = "\(name)（\(letter ?? "\(j + 1)")）"
                }
                namesUsed.insert(name)
                plan.append((nil, name))
                if extraIndex[name] == nil {
                    extraIndex[name] = extras.count
                    extras.append(name)
                }
            }
            // A required field the source has no column for: every row will miss it; say so once.
            for (f, field) in schema.fields.enumerated() where field.required && taken[f] == nil && !r.header.isEmpty {
                opened[k].issues.append(Issue(code: "missing-column", severity: .warning,
                    origin: Origin(file: opened[k].display, sheet: r.sheet, row: r.headerRow), field: field.name,
                    message: Message(zh: "表头中没有必填字段「\(field.name)」的列（可用的列名：\(([field.name] + field.aliases).joined(separator: "、"))）",
                                     en: "the header has no column for required field '\(field.name)' (accepted names: \(([field.name] + field.aliases).joined(separator: ", ")))"),
                    personal: false))
            }
            plans.append(plan)
        }
        let layout = Layout(schema: schema, extras: extras, severityOverrides: pipeline.severityOverrides)
        for k in opened.indices {
            let r = opened[k].reader
            var letters = [String?](repeating: nil, count: layout.count)
            var headers = [String?](repeating: nil, count: layout.count)
            var map: [Int] = []
            for (j, p) in plans[k].enumerated() {
                let col = p.field ?? (schema.fields.count + extraIndex[p.extra!]!)
                map.append(col)
                letters[col] = r.recordBased ? nil : Origin.columnLetter(j)
                headers[col] = r.header[j]
            }
            opened[k].columnMap = map
            opened[k].info = SourceInfo(index: k, file: opened[k].display, sheet: r.sheet, columnLetters: letters, headers: headers, recordBased: r.recordBased)
            opened[k].info!.role = opened[k].component.role
        }
        return layout
    }
}
