import Foundation
import TaizhangCore

/// A conformance kit for plugin authors: call it from your own tests on your plugin and expect
/// an empty list of problems. It checks what every Taizhang plugin must do — a well-formed spec
/// (names, docs in both languages, defaults of the declared type), origins kept, nothing lost,
/// and errors rather than crashes on bad input (a crash fails the test that ran it).
///
/// ```swift
/// @Test func myReaderConforms() throws {
///     #expect(PluginConformance.spec(MyReader.spec).isEmpty)
///     #expect(PluginConformance.reader(MyReader.plugin, sample: "Tests/fixtures/a.dat").isEmpty)
/// }
/// ```
public enum PluginConformance {
    // MARK: Spec

    /// Problems with a plugin's declaration.
    public static func spec(_ s: PluginSpec) -> [String] {
        var p: [String] = []
        if s.name.isEmpty || s.name.range(of: #"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"#, options: .regularExpression) == nil {
            p.append("name '\(s.name)' is not kebab-case (lower-case words joined by -)")
        }
        if s.summary.zh.isEmpty || s.summary.en.isEmpty { p.append("\(s.name): the summary needs both Chinese and English") }
        if s.file.isEmpty { p.append("\(s.name): no source file named (the README links each plugin to its file)") }
        var seen = Set<String>()
        for o in s.options {
            if !seen.insert(o.name).inserted { p.append("\(s.name): option '\(o.name)' is declared twice") }
            if o.name.range(of: #"^[a-z][a-z0-9_]*$"#, options: .regularExpression) == nil { p.append("\(s.name): option '\(o.name)' is not snake_case") }
            if o.doc.zh.isEmpty || o.doc.en.isEmpty { p.append("\(s.name): option '\(o.name)' needs a doc in both languages") }
            if o.required && o.defaultValue != nil { p.append("\(s.name): option '\(o.name)' is required and has a default") }
            if let d = o.defaultValue {
                switch o.type {
                case .integer where Int(d) == nil: p.append("\(s.name): default '\(d)' of '\(o.name)' is not an integer")
                case .boolean where !["true", "false"].contains(d): p.append("\(s.name): default '\(d)' of '\(o.name)' is not true/false")
                case .choice(let c) where !c.contains(d): p.append("\(s.name): default '\(d)' of '\(o.name)' is not one of its choices")
                default: break
                }
            }
        }
        if s.kind != .step && s.option(named: "path") == nil { p.append("\(s.name): readers and writers take a `path` option") }
        return p
    }

    // MARK: Readers

    /// Reads `sample` completely and checks that every row is accounted for and keeps its origin;
    /// then feeds the reader an empty file, random bytes and a truncated copy of the sample, which
    /// must end in a `SourceError` or in issues — never a crash.
    public static func reader(_ plugin: ReaderPlugin, sample: String, options: [String: String] = [:], schema: Schema = .open()) -> [String] {
        reader(plugin, sample: sample, schema: schema) { path in Options.strings(options.merging(["path": path]) { a, _ in a }, spec: plugin.spec) }
    }

    /// The same, for a plugin whose options are not plain strings (a program and its arguments):
    /// `yaml` holds them as a pipeline would, relative paths resolved against `directory`.
    public static func reader(_ plugin: ReaderPlugin, sample: String, yaml: String, directory: String, schema: Schema = .open()) -> [String] {
        reader(plugin, sample: sample, schema: schema) { path in (try? Options.yaml("path: '\(path)'\n" + yaml, spec: plugin.spec, baseDirectory: directory)) ?? Options.strings([:]) }
    }

    static func reader(_ plugin: ReaderPlugin, sample: String, schema: Schema, options: (String) -> Options) -> [String] {
        var p: [String] = []
        do {
            let r = try readAll(plugin, path: sample, options: options, schema: schema)
            if r.read != r.dataRows + r.skipped { p.append("rows read \(r.read) ≠ data rows \(r.dataRows) + skipped \(r.skipped): rows were lost") }
            if r.dataRows == 0 { p.append("the sample gave no data rows") }
            if r.badOrigins > 0 { p.append("\(r.badOrigins) rows lack their origin (file and a row number ≥ 1)") }
            if !r.increasing { p.append("row numbers are not increasing") }
        } catch {
            p.append("the sample could not be read: \(error.text(.en))")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("taizhang-conformance-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let ext = URL(fileURLWithPath: sample).pathExtension
        var rng = SplitMix(seed: 20261202)
        let sampleBytes = (try? Data(contentsOf: URL(fileURLWithPath: sample))) ?? Data()
        let bad: [(String, Data)] = [
            ("empty", Data()),
            ("random", Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &rng) })),
            ("truncated", sampleBytes.prefix(max(1, sampleBytes.count / 2))),
        ]
        for (name, bytes) in bad {
            let path = dir.appendingPathComponent("\(name).\(ext)").path
            FileManager.default.createFile(atPath: path, contents: bytes)
            do {
                let r = try readAll(plugin, path: path, options: options, schema: schema)
                if r.read != r.dataRows + r.skipped { p.append("\(name) input: rows were lost") }
                if name == "empty" && r.errors == 0 { p.append("an empty file should give an error (an issue or a SourceError)") }
            } catch {
                if error.message.zh.isEmpty || error.message.en.isEmpty { p.append("\(name) input: the error message needs both languages") }
            }
        }
        return p
    }

    struct ReadCount { var read = 0, dataRows = 0, skipped = 0, badOrigins = 0, errors = 0, increasing = true }

    static func readAll(_ plugin: ReaderPlugin, path: String, options: (String) -> Options, schema: Schema) throws(SourceError) -> ReadCount {
        let opts = options(path)
        let reader = try plugin.open(path, path, opts, PluginContext(schema: schema))
        defer { reader.close() }
        var c = ReadCount()
        c.errors = reader.openIssues.filter { $0.severity == .error }.count
        var last = 0
        c.read = try reader.drain(display: path, batchSize: 100) { b in
            c.dataRows += b.count
            c.skipped += b.skipped.count
            c.errors += b.issues.filter { $0.severity == .error }.count
            for r in 0..<b.count {
                let o = b.origin(row: r)
                if o.file != path || (o.row ?? 0) < 1 { c.badOrigins += 1 }
                if (o.row ?? 0) < last { c.increasing = false }
                last = o.row ?? last
            }
        }
        return c
    }

    // MARK: Steps

    /// Runs a step over rows (field → text) and checks that it keeps every row and its origin,
    /// and that its issues point at rows and fields that exist.
    public static func step(_ plugin: StepPlugin, options: [String: String] = [:], schema: Schema, rows: [[String: String]], tables: TableDirectory? = nil) -> [String] {
        step(plugin, options: Options.strings(options, spec: plugin.spec), schema: schema, rows: rows, tables: tables)
    }

    /// The same, with options written as in a pipeline (`yaml`), paths relative to `directory`.
    public static func step(_ plugin: StepPlugin, yaml: String, directory: String, schema: Schema, rows: [[String: String]]) -> [String] {
        do { return step(plugin, options: try Options.yaml(yaml, spec: plugin.spec, baseDirectory: directory), schema: schema, rows: rows) } catch { return ["the options do not parse: \(error)"] }
    }

    static func step(_ plugin: StepPlugin, options: Options, schema: Schema, rows: [[String: String]], tables: TableDirectory? = nil) -> [String] {
        var p: [String] = []
        let layout = Layout(schema: schema)
        let info = SourceInfo(index: 0, file: "conformance.csv", sheet: nil, columnLetters: layout.names.indices.map { Origin.columnLetter($0) },
                              headers: layout.names, recordBased: false)
        var sink = RowSink(layout: layout, source: info, columnMap: Array(layout.names.indices), capacity: rows.count + 1)
        for (k, row) in rows.enumerated() {
            sink.beginRow(number: k + 2)
            for name in layout.names { sink.cell(row[name] ?? "") }
            sink.endRow()
        }
        var batch = sink.take()
        let before = batch.count, numbers = batch.rowNumbers
        do {
            var context = PluginContext(schema: schema)
            context.tables = tables
            let step = try plugin.make(options, layout, context)
            try step.process(&batch)
            if let h = step as? any HoldingStep, h.hold(batch) {
                let back = try h.release()
                batch = back.first ?? batch
                if back.count != 1 { p.append("a holding step gave back \(back.count) batches for 1 held") }
            }
            if let f = step as? any FinishingStep { _ = try f.finish(RunSummary(pipeline: "conformance")) }
        } catch {
            p.append("the step failed: \(error)")
            return p
        }
        if batch.count != before || batch.rowNumbers != numbers { p.append("the step changed the rows or their numbers") }
        for (k, r) in batch.issueRowIndex.enumerated() where r >= batch.count { p.append("issue \(batch.issues[k].code) points at a row that does not exist") }
        for i in batch.issues {
            if let f = i.field, layout.index(of: f) == nil { p.append("issue \(i.code) names an unknown field '\(f)'") }
            if i.code.range(of: #"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"#, options: .regularExpression) == nil { p.append("issue code '\(i.code)' is not kebab-case") }
            if i.message.zh.isEmpty || i.message.en.isEmpty { p.append("issue \(i.code) needs a message in both languages") }
            if i.origin.file != "conformance.csv" { p.append("issue \(i.code) lost its origin") }
        }
        return p
    }

    // MARK: Writers

    /// Writes rows with the writer: `commit` must leave a file at the path and no temporary file;
    /// `abort` must leave nothing at all.
    public static func writer(_ plugin: WriterPlugin, options: [String: String] = [:], schema: Schema, rows: [[String: String]], ext: String,
                              summary: RunSummary = RunSummary(pipeline: "conformance")) -> [String] {
        writer(plugin, schema: schema, rows: rows, ext: ext, summary: summary) { path in Options.strings(options.merging(["path": path]) { a, _ in a }, spec: plugin.spec) }
    }

    /// The same, with options written as in a pipeline (`yaml`), paths relative to `directory`.
    public static func writer(_ plugin: WriterPlugin, yaml: String, directory: String, schema: Schema, rows: [[String: String]], ext: String,
                              summary: RunSummary = RunSummary(pipeline: "conformance")) -> [String] {
        writer(plugin, schema: schema, rows: rows, ext: ext, summary: summary) { path in (try? Options.yaml("path: '\(path)'\n" + yaml, spec: plugin.spec, baseDirectory: directory)) ?? Options.strings([:]) }
    }

    static func writer(_ plugin: WriterPlugin, schema: Schema, rows: [[String: String]], ext: String, summary: RunSummary, options: (String) -> Options) -> [String] {
        var p: [String] = []
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("taizhang-conformance-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let layout = Layout(schema: schema)
        let info = SourceInfo(index: 0, file: "conformance.csv", sheet: nil, columnLetters: layout.names.indices.map { Origin.columnLetter($0) },
                              headers: layout.names, recordBased: false)
        var sink = RowSink(layout: layout, source: info, columnMap: Array(layout.names.indices), capacity: rows.count + 1)
        for (k, row) in rows.enumerated() {
            sink.beginRow(number: k + 2)
            for name in layout.names { sink.cell(row[name] ?? "") }
            sink.endRow()
        }
        let batch = sink.take()
        for commit in [true, false] {
            let path = dir.appendingPathComponent("out-\(commit).\(ext)").path
            do {
                let w = try plugin.make(path, options(path), layout, PluginContext(schema: schema))
                try w.write(batch)
                if commit {
                    let sealed = try w.finish(summary)
                    if sealed.isEmpty { p.append("finish returned no output to put in place") }
                    if FileManager.default.fileExists(atPath: path) { p.append("finish put the file in place itself; the run puts every output in place together") }
                    _ = try OutputSet.commit(sealed)
                } else { w.abort() }
            } catch {
                p.append("the writer failed: \(error)")
                continue
            }
            let exists = FileManager.default.fileExists(atPath: path)
            if commit && !exists { p.append("commit left no file at the path") }
            if !commit && exists { p.append("abort left a file at the path") }
        }
        let leftovers = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasPrefix(".") }
        if !leftovers.isEmpty { p.append("temporary files left behind: \(leftovers)") }
        return p
    }
}
