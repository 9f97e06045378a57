import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a pipeline file (YAML, or JSON) and checks it against the registry: plugin names,
/// option names and types, input files that must exist, output folders that must exist —
/// all before any data is read, every problem reported at once with its line and column.
public struct PipelineLoader: Sendable {
    public let registry: Registry

    static let topKeys = ["name", "schema", "profile", "vars", "inputs", "steps", "outputs", "fail_on", "personal_data", "severity", "store", "table", "tables"]
    /// What a table under `tables:` may say; the rest (vars, store, fail_on, personal_data) it shares.
    static let tableKeys = ["schema", "profile", "inputs", "steps", "outputs", "severity"]

    public init(registry: Registry) { self.registry = registry }

    /// Loads a pipeline file. `variables` are the `--set` values, which win over the file's `vars:`.
    public func load(file: String, variables: [String: String] = [:]) throws(Diagnostics) -> Pipeline {
        let url = URL(fileURLWithPath: file)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            let missing = !FileManager.default.fileExists(atPath: url.path)
            // A mistyped name: the nearest pipeline file in that folder.
            let folder = url.deletingLastPathComponent()
            let near = missing ? Suggest.didYouMean(url.lastPathComponent, ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
                .filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }) : nil
            throw Diagnostics([Diagnostic(.error, at: nil,
                missing ? Message(zh: "流水线文件不存在：\(file)", en: "no such pipeline file: \(file)")
                        : Message(zh: "无法读取流水线文件 \(file)（权限不足或是文件夹）", en: "cannot read pipeline file \(file) (permission, or a folder)"),
                suggestion: near, isIO: true)])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Diagnostics([Diagnostic(.error, at: Position(file: file, line: 1, column: 1),
                Message(zh: "流水线文件不是 UTF-8 文本", en: "the pipeline file is not UTF-8 text"))])
        }
        let root = try ConfigNode.parse(text, file: file)
        return try load(root: root, file: file, directory: url.deletingLastPathComponent().path, variables: variables)
    }

    public func load(root: ConfigNode, file: String?, directory: String, variables: [String: String] = [:]) throws(Diagnostics) -> Pipeline {
        var d = DiagnosticCollector()
        guard let top = root.pairs else {
            throw Diagnostics([Diagnostic(.error, at: root.position, Message(zh: "流水线应是映射（name, inputs, steps, outputs）", en: "a pipeline must be a mapping (name, inputs, steps, outputs)"))])
        }
        for p in top where !Self.topKeys.contains(p.key) {
            d.error(p.keyPosition, Message(zh: "未知的键「\(p.key)」", en: "unknown key '\(p.key)'"), suggestion: didYouMean(p.key, Self.topKeys))
        }

        // Variables: built-ins, then the file's vars:, then --set.
        var vars: [String: String] = ["pipeline_dir": directory, "today": Self.today()]
        for p in root["vars"]?.pairs ?? [] { vars[p.key] = p.value.scalar ?? "" }
        for (k, v) in variables { vars[k] = v }
        // What depends on the period follows it (unless the file sets it itself).
        if let period = vars["period"] {
            if let derived = PeriodVariables.derived(from: period) {
                for (k, v) in derived where vars[k] == nil { vars[k] = v }
            } else if !Self.referencedVariables(root).isDisjoint(with: ["previous_period", "period_end", "report_month"]) {
                // What depends on the period cannot follow a period that is not one: say that, once.
                throw Diagnostics([Diagnostic(.error, at: variables["period"] != nil ? nil : root["vars"]?["period"]?.position,
                    Message(zh: "报告期「\(period)」无法识别", en: "period '\(period)' not understood"),
                    suggestion: Message(zh: "写成 2026Q3、2026H1、2026 或 2026-09", en: "write 2026Q3, 2026H1, 2026 or 2026-09"))])
            }
        }
        // A --set that names no variable of the file is a typo, not a silent no-op.
        let known = Set((root["vars"]?.pairs ?? []).map(\.key)).union(Self.referencedVariables(root)).union(["pipeline_dir", "today"])
        for k in variables.keys.sorted() where !known.contains(k) {
            let all = known.sorted()
            d.error(nil,
                    Message(zh: "--set \(k)=…：流水线中没有变量「\(k)」（有：\(all.joined(separator: "、"))）", en: "--set \(k)=…: the pipeline has no variable '\(k)' (it has: \(all.joined(separator: ", ")))"),
                    suggestion: didYouMean(k, all))
        }
        let node = substitute(root, vars: vars, diags: &d)

        let name = node["name"]?.scalar ?? file.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent } ?? "pipeline"
        var reads: [ReadFile] = []
        if let file { reads.append(ReadFile(path: Options.resolve(file, against: FileManager.default.currentDirectoryPath), position: Position(file: file, line: 1, column: 1),
                                            what: Message(zh: "流水线文件本身", en: "the pipeline file itself"))) }
        var schema = loadSchema(node["schema"], directory: directory, diags: &d, reads: &reads)
        if let p = node["profile"] { schema = loadProfile(p, schema: node["schema"], directory: directory, diags: &d, reads: &reads) ?? schema }

        let inputs = components(node["inputs"], kind: .reader, schema: schema, directory: directory, diags: &d)
        let steps = components(node["steps"], kind: .step, schema: schema, directory: directory, diags: &d)
        let outputs = components(node["outputs"], kind: .writer, schema: schema, directory: directory, diags: &d)
        var sources: [String: Position] = [:]
        for i in inputs {
            guard let path = i.options.path("path") else { continue }
            let key = "\(URL(fileURLWithPath: path).standardizedFileURL.path)|\(i.options.string("sheet") ?? "")|\(i.role.rawValue)"
            if let first = sources[key] {
                d.error(i.position, Message(zh: "文件 \(i.options.string("path") ?? path) 已由第 \(first.line) 行的输入读取：再读一次，其中的记录会被算两次",
                                            en: "the file \(i.options.string("path") ?? path) is already read by the input on line \(first.line): read again, its records would count twice"),
                        suggestion: Message(zh: "去掉重复的输入，或让路径模式互不重叠", en: "remove the repeated input, or make the patterns not overlap"))
            } else {
                sources[key] = i.position
            }
        }
        if node["inputs"] == nil || inputs.isEmpty && node["inputs"]?.items?.isEmpty != false {
            d.error(node["inputs"]?.position ?? root.position, Message(zh: "流水线没有输入（inputs）", en: "the pipeline has no inputs"))
        }
        // Every table's files together: no table's output may be a file another table reads.
        let tables = loadTables(root, file: file, directory: directory, variables: variables, diags: &d)
        let readFiles = checkOverlaps(reads: reads, components: inputs + steps + outputs + tables.flatMap { $0.inputs + $0.steps + $0.outputs }, diags: &d)
        let folders = foldersToCreate(outputs, directory: directory, diags: &d)

        // Safe by default: a run that found errors (and left records out) does not exit 0.
        var failOn: Severity? = .error
        if let f = node["fail_on"] {
            switch f.scalar {
            case "error": failOn = .error
            case "warning": failOn = .warning
            case "never": failOn = nil
            default:
                d.error(f.position, Message(zh: "fail_on 应为 error、warning 或 never", en: "fail_on must be error, warning or never"),
                        suggestion: didYouMean(f.scalar ?? "", ["error", "warning", "never"]))
            }
        }
        var masking = Masking.masked
        if let m = node["personal_data"] {
            switch m.scalar {
            case "masked": masking = .masked
            case "full": masking = .full
            default:
                d.error(m.position, Message(zh: "personal_data 应为 masked 或 full", en: "personal_data must be masked or full"))
            }
        }
        // An office profile's severity policy first; the pipeline's own has the last word.
        var overrides: [String: Severity?] = [:]
        for sev in [schema.profile?["severity"], node["severity"]].compactMap({ $0 }) {
            if let pairs = sev.pairs {
                for p in pairs {
                    switch p.value.scalar {
                    case "error": overrides[p.key] = .error
                    case "warning": overrides[p.key] = .warning
                    case "info": overrides[p.key] = .info
                    case "ignore": overrides[p.key] = .some(nil)
                    default:
                        d.error(p.value.position, Message(zh: "「\(p.key)」的级别应为 error、warning、info 或 ignore", en: "severity of '\(p.key)' must be error, warning, info or ignore"),
                                suggestion: didYouMean(p.value.scalar ?? "", ["error", "warning", "info", "ignore"]))
                    }
                }
            } else {
                d.error(sev.position, Message(zh: "severity 应是「问题代码: 级别」的映射", en: "severity must map issue codes to levels"))
            }
        }
        try d.throwIfErrors()
        var pipeline = Pipeline(name: name, file: file, directory: directory, schema: schema, inputs: inputs, steps: steps,
                                outputs: outputs, failOn: failOn, masking: masking, severityOverrides: overrides)
        pipeline.notes = d.items.filter { $0.kind != .error }
        // The office's store (资料库): a file beside the pipeline unless given with a path.
        if let s = node["store"]?.scalar, !s.isEmpty { pipeline.store = Options.resolve(s, against: directory) }
        pipeline.foldersToCreate = folders
        pipeline.readFiles = readFiles
        if let t = node["table"]?.scalar, !t.isEmpty { pipeline.tableName = t }
        pipeline.tables = tables
        // No table's output may be a file another table reads.
        let everyRead = ([pipeline] + tables).flatMap(\.readFiles)
        pipeline.readFiles = everyRead
        for k in pipeline.tables.indices { pipeline.tables[k].readFiles = everyRead }
        return pipeline
    }

    /// `tables:` — the pipeline's other tables, each loaded as a pipeline of its own that shares
    /// the file's vars, store, fail_on and personal_data (see ``TableDirectory``).
    func loadTables(_ root: ConfigNode, file: String?, directory: String, variables: [String: String], diags d: inout DiagnosticCollector) -> [Pipeline] {
        guard let node = root["tables"] else { return [] }
        guard let pairs = node.pairs else {
            d.error(node.position, Message(zh: "tables 应是「表名: {schema, inputs, steps, outputs}」的映射", en: "tables must map table names to {schema, inputs, steps, outputs}"))
            return []
        }
        var tables: [Pipeline] = []
        for p in pairs {
            guard var items = p.value.pairs else {
                d.error(p.value.position, Message(zh: "表「\(p.key)」应是映射（schema, inputs, steps, outputs）", en: "table '\(p.key)' must be a mapping (schema, inputs, steps, outputs)"))
                continue
            }
            for k in items where !Self.tableKeys.contains(k.key) {
                d.error(k.keyPosition, Message(zh: "表「\(p.key)」中未知的键「\(k.key)」（可用：\(Self.tableKeys.joined(separator: "、"))）",
                                               en: "unknown key '\(k.key)' in table '\(p.key)' (known: \(Self.tableKeys.joined(separator: ", ")))"),
                        suggestion: didYouMean(k.key, Self.tableKeys))
            }
            items = items.filter { Self.tableKeys.contains($0.key) }
            for shared in ["vars", "store", "fail_on", "personal_data"] {
                if let v = root.pairs?.first(where: { $0.key == shared }) { items.append(v) }
            }
            items.append((key: "table", keyPosition: p.keyPosition, value: ConfigNode(value: .scalar(p.key, quoted: true), position: p.keyPosition)))
            items.append((key: "name", keyPosition: p.keyPosition, value: ConfigNode(value: .scalar(p.key, quoted: true), position: p.keyPosition)))
            let table = ConfigNode(value: .mapping(items), position: p.value.position)
            let known = Set((root["vars"]?.pairs ?? []).map(\.key)).union(Self.referencedVariables(table))
            do {
                tables.append(try load(root: table, file: file, directory: directory, variables: variables.filter { known.contains($0.key) }))
            } catch {
                d.append(error)
            }
        }
        let names = [root["table"]?.scalar].compactMap { $0 } + tables.map(\.tableName)
        if Set(names).count < names.count {
            d.error(node.position, Message(zh: "表名重复", en: "two tables of one name"))
        }
        return tables
    }

    // MARK: Schema

    func loadSchema(_ node: ConfigNode?, directory: String, diags d: inout DiagnosticCollector, reads: inout [ReadFile]) -> Schema {
        guard let node else { return .open() }
        if node.pairs != nil {
            do { return try Schema.load(from: node) } catch { d.append(error); return .open() }
        }
        let name = node.scalar ?? ""
        if let s = registry.schemas[name] { return s }
        let looksLikePath = name.contains("/") || [".yml", ".yaml", ".json"].contains { name.hasSuffix($0) }
        if looksLikePath {
            let path = Options.resolve(name, against: directory)
            reads.append(ReadFile(path: path, position: node.position, what: Message(zh: "模式文件", en: "the schema file")))
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                d.error(node.position, Message(zh: "无法读取模式文件 \(name)", en: "cannot read schema file \(name)"), io: true)
                return .open()
            }
            do { return try Schema.load(from: try ConfigNode.parse(text, file: path)) } catch { d.append(error); return .open() }
        }
        d.error(node.position, Message(zh: "未知的模式「\(name)」", en: "unknown schema '\(name)'"),
                suggestion: didYouMean(name, registry.schemas.keys.sorted()) ?? Message(zh: "可用：\(registry.schemas.keys.sorted().joined(separator: ", "))，或模式文件路径",
                                                                                   en: "known: \(registry.schemas.keys.sorted().joined(separator: ", ")), or a schema file path"))
        return .open()
    }

    /// An office profile on its own (`taizhang profile show FILE`): the schema it makes.
    public func loadProfile(file: String) throws(Diagnostics) -> Schema {
        var d = DiagnosticCollector()
        var reads: [ReadFile] = []
        let node = ConfigNode(value: .scalar(file, quoted: true), position: Position(file: file, line: 1, column: 1))
        let schema = loadProfile(node, schema: nil, directory: FileManager.default.currentDirectoryPath, diags: &d, reads: &reads)
        try d.throwIfErrors()
        guard let schema else { throw Diagnostics(d.items) }
        return schema
    }

    /// `profile: 东城区.yml`: an office's file that `extends:` a built-in schema with its own
    /// header aliases, fields and vocabulary (checked here by the pack that registered the schema).
    func loadProfile(_ node: ConfigNode, schema given: ConfigNode?, directory: String, diags d: inout DiagnosticCollector, reads: inout [ReadFile]) -> Schema? {
        guard let name = node.scalar, !name.isEmpty else {
            d.error(node.position, Message(zh: "profile 应是档案文件的路径", en: "profile must be the path of a profile file"))
            return nil
        }
        let path = Options.resolve(name, against: directory)
        reads.append(ReadFile(path: path, position: node.position, what: Message(zh: "档案文件", en: "the profile file")))
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            d.error(node.position, Message(zh: "无法读取档案文件 \(name)", en: "cannot read profile file \(name)"), io: true)
            return nil
        }
        let profile: ConfigNode
        do { profile = try ConfigNode.parse(text, file: path) } catch { d.append(error); return nil }
        guard profile.pairs != nil else {
            d.error(profile.position, Message(zh: "档案应是映射（extends、fields …）", en: "a profile must be a mapping (extends, fields, …)"))
            return nil
        }
        let known = registry.profiles.keys.sorted()
        guard let base = profile["extends"]?.scalar, let schema = registry.schemas[base], let pack = registry.profiles[base] else {
            let at = profile["extends"]?.position ?? profile.position
            d.error(at, Message(zh: "档案须以 extends: 指明所扩展的内置模式（\(known.joined(separator: "、"))）",
                                en: "a profile must say which built-in schema it extends (extends: \(known.joined(separator: ", ")))"),
                    suggestion: didYouMean(profile["extends"]?.scalar ?? "", known))
            return nil
        }
        if let given, given.scalar != base {
            d.error(given.position, Message(zh: "schema 与档案扩展的模式（\(base)）不同；有 profile 时可省略 schema",
                                            en: "schema differs from the one the profile extends (\(base)); with a profile, schema may be left out"))
        }
        for item in pack.check(profile) { d.append(Diagnostics([item])) }
        do { return try schema.extended(by: profile, packKeys: pack.keys) } catch { d.append(error); return nil }
    }

    // MARK: Components

    func components(_ node: ConfigNode?, kind: PluginKind, schema: Schema, directory: String, diags d: inout DiagnosticCollector) -> [Component] {
        guard let node else { return [] }
        guard let items = node.items else {
            d.error(node.position, Message(zh: "应是列表（每项以 - 开头）", en: "expected a list (items starting with -)"))
            return []
        }
        var out: [Component] = []
        for item in items {
            for one in kind == .reader ? expandGlob(item, directory: directory, diags: &d) : [item] {
                if let c = component(one, kind: kind, schema: schema, directory: directory, diags: &d) { out.append(c) }
            }
        }
        return out
    }

    /// An input whose `path:` is a pattern (`ledgers/*.csv`, `2026Q3/*社区.xls?`) is one input per
    /// file it matches, in sorted order; a pattern that matches nothing is an error naming it.
    func expandGlob(_ item: ConfigNode, directory: String, diags d: inout DiagnosticCollector) -> [ConfigNode] {
        guard let pairs = item.pairs, let path = item["path"], let pattern = path.scalar,
              pattern.contains(where: { "*?[".contains($0) }) else { return [item] }
        let full = Options.resolve(pattern, against: directory)
        var g = glob_t()
        defer { globfree(&g) }
        var matches: [String] = []
        var litter: [String] = []
        if glob(full, 0, nil, &g) == 0 {
            for i in 0..<Int(g.gl_pathc) {
                guard let p = g.gl_pathv[i].map({ String(cString: $0) }) else { continue }
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir), !isDir.boolValue else { continue }
                // Not ledgers: Office's lock files beside an open workbook, folder settings.
                let name = URL(fileURLWithPath: p).lastPathComponent
                if name.hasPrefix("~$") || ["desktop.ini", "thumbs.db", ".ds_store"].contains(name.lowercased()) { litter.append(name); continue }
                matches.append(p)
            }
        }
        if !litter.isEmpty {
            d.warning(path.position, Message(zh: "「\(pattern)」匹配到的 \(litter.count) 个不是数据的文件未读取（Office 临时锁文件、文件夹设置）：\(litter.sorted().prefix(5).joined(separator: "、"))",
                                             en: "\(litter.count) files matching '\(pattern)' are not ledgers and were left out (Office lock files, folder settings): \(litter.sorted().prefix(5).joined(separator: ", "))"))
        }
        guard !matches.isEmpty else {
            d.error(path.position, Message(zh: "没有文件与「\(pattern)」相符", en: "no file matches '\(pattern)'"),
                    suggestion: Message(zh: "相对路径从文件夹 \(directory) 算起；* 代表任意多个字符，? 代表一个字符", en: "relative paths start from \(directory); * is any characters, ? one"), io: true)
            return []
        }
        // Each match written as the pattern was: relative (to the pipeline's folder) stays relative.
        let base = URL(fileURLWithPath: directory).standardizedFileURL.path + "/"
        return matches.sorted().map { m in
            let written = pattern.hasPrefix("/") || !m.hasPrefix(base) ? m : String(m.dropFirst(base.count))
            return ConfigNode(value: .mapping(pairs.map { $0.key == "path" ? ($0.key, $0.keyPosition, ConfigNode(value: .scalar(written, quoted: true), position: path.position)) : $0 }),
                              position: item.position)
        }
    }

    func component(_ item: ConfigNode, kind: PluginKind, schema: Schema, directory: String, diags d: inout DiagnosticCollector) -> Component? {
        guard let pairs = item.pairs else {
            d.error(item.position, Message(zh: "应是映射，例如 `\(kind.verbs[0]): 名称`", en: "expected a mapping such as `\(kind.verbs[0]): NAME`"))
            return nil
        }
        let verbPairs = pairs.filter { kind.verbs.contains($0.key) }
        guard let verb = verbPairs.first else {
            d.error(item.position, Message(zh: "缺少 `\(kind.verbs.joined(separator: "`/`")): 插件名`", en: "missing `\(kind.verbs.joined(separator: "`/`")): PLUGIN`"))
            return nil
        }
        var name = verb.value.scalar ?? ""
        let auto = kind == .reader && name == "auto"
        if auto {
            guard let chosen = autoReader(item, directory: directory, diags: &d) else { return nil }
            name = chosen
        }
        guard let spec = registry.spec(kind, name) else {
            let all = registry.names(kind)
            d.error(verb.value.position, Message(zh: "未知的\(kindName(kind).zh)插件「\(name)」", en: "unknown \(kindName(kind).en) plugin '\(name)'"),
                    suggestion: didYouMean(name, all) ?? Message(zh: "可用：\(all.joined(separator: ", "))", en: "known: \(all.joined(separator: ", "))"))
            return nil
        }
        var values: [String: ConfigNode] = [:]
        var role = SourceRole.current
        var set: [(field: String, template: String)] = []
        for p in pairs where !kind.verbs.contains(p.key) {
            if kind == .reader && p.key == "set" {
                set = fieldsToSet(p.value, schema: schema, diags: &d)
                continue
            }
            if kind == .reader && p.key == "role" {
                if let r = p.value.scalar.flatMap(SourceRole.init(rawValue:)) { role = r } else {
                    d.error(p.value.position, Message(zh: "role 应为 current 或 previous", en: "role must be current or previous"),
                            suggestion: didYouMean(p.value.scalar ?? "", SourceRole.allCases.map(\.rawValue)))
                }
                continue
            }
            guard let o = spec.option(named: p.key) else {
                // read: auto over a folder of mixed files: an option of another format (sheet:) is not this file's.
                if auto, registry.readers.values.contains(where: { $0.spec.option(named: p.key) != nil }) { continue }
                let names = spec.options.map(\.name)
                d.error(p.keyPosition, Message(zh: "插件「\(name)」没有选项「\(p.key)」", en: "plugin '\(name)' has no option '\(p.key)'"),
                        suggestion: didYouMean(p.key, names) ?? Message(zh: "可用选项：\(names.joined(separator: ", "))", en: "options: \(names.joined(separator: ", "))"))
                continue
            }
            if check(p.value, against: o, plugin: name, schema: schema, directory: directory, diags: &d) { values[p.key] = p.value }
        }
        for o in spec.options where o.required && values[o.name] == nil && !pairs.contains(where: { $0.key == o.name }) {
            d.error(item.position, Message(zh: "插件「\(name)」缺少必填选项「\(o.name)」（\(o.doc.zh)）", en: "plugin '\(name)' needs option '\(o.name)' (\(o.doc.en))"))
        }
        var c = Component(kind: kind, name: name, options: Options(values: values, spec: spec, baseDirectory: directory, position: verb.value.position),
                          position: verb.value.position, role: role)
        c.set = set
        return c
    }

    /// `set: {统战对象类别: ${sheet}, 所在社区: ${file_stem}}`: schema fields and what to write.
    func fieldsToSet(_ node: ConfigNode, schema: Schema, diags d: inout DiagnosticCollector) -> [(field: String, template: String)] {
        guard let pairs = node.pairs else {
            d.error(node.position, Message(zh: "set 应是「字段: 值」的映射，值可用 ${sheet}、${file}、${file_stem}",
                                           en: "set must map fields to values; values may use ${sheet}, ${file}, ${file_stem}"))
            return []
        }
        var out: [(field: String, template: String)] = []
        for p in pairs {
            guard let value = p.value.scalar else {
                d.error(p.value.position, Message(zh: "「\(p.key)」的值应是文字", en: "the value of '\(p.key)' must be text"))
                continue
            }
            if schema.field(named: p.key) != nil { out.append((p.key, value)); continue }
            if let f = HeaderDetector.match(p.key, schema.headerIndex()) { out.append((schema.fields[f].name, value)); continue }
            d.error(p.keyPosition, Message(zh: "set：模式「\(schema.name)」中没有字段「\(p.key)」", en: "set: schema '\(schema.name)' has no field '\(p.key)'"),
                    suggestion: didYouMean(p.key, schema.fields.map(\.name)))
        }
        return out
    }

    /// `read: auto`: the reader whose format the file's first bytes show.
    func autoReader(_ item: ConfigNode, directory: String, diags d: inout DiagnosticCollector) -> String? {
        guard let path = item["path"]?.scalar else {
            d.error(item.position, Message(zh: "read: auto 需要 path", en: "read: auto needs a path"))
            return nil
        }
        let full = Options.resolve(path, against: directory)
        // Only a regular file is opened to look (a FIFO would block); the path check says why not.
        var st = stat()
        guard stat(full, &st) == 0, st.st_mode & S_IFMT == S_IFREG, let handle = FileHandle(forReadingAtPath: full) else { return "csv" }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4096)) ?? Data()
        if let name = registry.readers.values.sorted(by: { $0.spec.name < $1.spec.name }).first(where: { $0.sniff?(head) == true })?.spec.name { return name }
        // A web page saved with a workbook's name (an "Excel export" of some systems).
        let start = String(decoding: head.prefix(1024), as: UTF8.self).lowercased()
        if start.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" }).hasPrefix("<"), start.contains("<html") || start.contains("<table") || start.contains("<!doctype") {
            d.error(item["path"]!.position, Message(zh: "「\(path)」是网页（HTML）文件，不是 Excel 工作簿或 CSV", en: "'\(path)' is a web page (HTML), not a workbook or CSV"),
                    suggestion: Message(zh: "用 Excel 或 WPS 打开后另存为 .xlsx 再读取", en: "open it in Excel or WPS and save it as .xlsx"), io: true)
            return nil
        }
        // Text (whatever the name says: an ".xls" saved as text is common, UTF-16 "Unicode text" too): delimited text.
        let utf16 = head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF])
        if !head.isEmpty, utf16 || !head.contains(0), registry.readers["csv"] != nil { return "csv" }
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        if let byExt = registry.readers.values.first(where: { $0.extensions.contains(ext) })?.spec.name { return byExt }
        d.error(item["path"]!.position, Message(zh: "无法从内容判断「\(path)」的格式", en: "cannot tell the format of '\(path)' from its content"),
                suggestion: Message(zh: "写明 read: csv / xlsx / xls / json", en: "say read: csv / xlsx / xls / json"))
        return nil
    }

    /// Checks one option value; returns false (and reports) when it does not fit.
    func check(_ v: ConfigNode, against o: OptionSpec, plugin: String, schema: Schema, directory: String, diags d: inout DiagnosticCollector) -> Bool {
        func wrong(_ expected: Message) -> Bool {
            d.error(v.position, Message(zh: "选项「\(o.name)」应为\(expected.zh)，这里是\(v.kindName.zh)「\(v.scalar ?? "…")」",
                                        en: "option '\(o.name)' must be \(expected.en), found \(v.kindName.en) '\(v.scalar ?? "…")'"))
            return false
        }
        switch o.type {
        case .any:
            return true
        case .stringList:
            if v.scalar != nil { return true }
            if let items = v.items, items.allSatisfy({ $0.scalar != nil }) { return true }
            return wrong(Message(zh: "字符串列表", en: "a list of strings"))
        case .string:
            return v.scalar != nil ? true : wrong(Message(zh: "字符串", en: "a string"))
        case .field, .fieldList:
            let names: [ConfigNode]
            if v.scalar != nil { names = [v] } else if o.type == .fieldList, let items = v.items, items.allSatisfy({ $0.scalar != nil }) { names = items } else {
                return wrong(o.type == .field ? Message(zh: "字段名", en: "a field name") : Message(zh: "字段名列表", en: "a list of field names"))
            }
            var ok = true
            for n in names where schema.field(named: n.scalar!) == nil {
                // A header text the schema knows as another name of a field: name that field.
                let alias = HeaderDetector.match(n.scalar!, schema.headerIndex()).map { schema.fields[$0].name }
                d.error(n.position, Message(zh: "选项「\(o.name)」：模式「\(schema.name)」中没有字段「\(n.scalar!)」",
                                            en: "option '\(o.name)': schema '\(schema.name)' has no field '\(n.scalar!)'"),
                        suggestion: alias.map { Message(zh: "「\(n.scalar!)」是字段「\($0)」的别名：写「\($0)」", en: "'\(n.scalar!)' is another name of field '\($0)': write '\($0)'") }
                            ?? Self.nearestField(n.scalar!, schema))
                ok = false
            }
            return ok
        case .integer:
            guard let s = v.scalar, Int(s) != nil else { return wrong(Message(zh: "整数", en: "an integer")) }
            return true
        case .boolean:
            guard let s = v.scalar?.lowercased(), ["true", "false", "yes", "no"].contains(s) else {
                return wrong(Message(zh: "true 或 false", en: "true or false"))
            }
            return true
        case .choice(let options):
            guard let s = v.scalar else { return wrong(Message(zh: "以下之一：\(options.joined(separator: ", "))", en: "one of \(options.joined(separator: ", "))")) }
            if options.contains(s) { return true }
            d.error(v.position, Message(zh: "选项「\(o.name)」的值「\(s)」无效，可用：\(options.joined(separator: ", "))",
                                        en: "option '\(o.name)': '\(s)' is not one of \(options.joined(separator: ", "))"),
                    suggestion: didYouMean(s, options))
            return false
        case .inputPath:
            guard let s = v.scalar, !s.isEmpty else { return wrong(Message(zh: "文件路径", en: "a file path")) }
            let path = Options.resolve(s, against: directory)
            var isDir: ObjCBool = false
            if !FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
                d.error(v.position, Message(zh: "输入文件不存在：\(s)", en: "input file not found: \(s)"),
                        suggestion: Message(zh: "相对路径从文件夹 \(directory) 算起", en: "relative paths start from \(directory)"), io: true)
                return false
            }
            if isDir.boolValue {
                d.error(v.position, Message(zh: "输入路径是文件夹，不是文件：\(s)", en: "input path is a folder, not a file: \(s)"), io: true)
                return false
            }
            if !FileManager.default.isReadableFile(atPath: path) {
                d.error(v.position, Message(zh: "输入文件不可读（权限不足）：\(s)", en: "input file is not readable (permission denied): \(s)"), io: true)
                return false
            }
            // A pipe or device has no end a reader can count on (a FIFO blocks for ever).
            var st = stat()
            if stat(path, &st) == 0, st.st_mode & S_IFMT != S_IFREG {
                d.error(v.position, Message(zh: "输入不是普通文件（是管道或设备）：\(s)", en: "the input is not a regular file (a pipe or a device): \(s)"),
                        suggestion: Message(zh: "先把内容存成文件再读取", en: "save the content to a file and read that"), io: true)
                return false
            }
            return true
        case .outputPath:
            guard let s = v.scalar, !s.isEmpty else { return wrong(Message(zh: "文件路径", en: "a file path")) }
            let path = Options.resolve(s, against: directory)
            if AtomicOutput.namesStandardOutput(s) || AtomicOutput.namesStandardOutput(path) { return true }
            var st = stat()
            if stat(path, &st) == 0, st.st_mode & S_IFMT != S_IFREG {
                // A device or pipe (/dev/stdout) is written into directly; a folder is a mistake.
                if st.st_mode & S_IFMT == S_IFDIR {
                    d.error(v.position, Message(zh: "输出路径是文件夹，不是文件：\(s)", en: "output path is a folder, not a file: \(s)"), io: true)
                    return false
                }
                if access(path, W_OK) != 0 {
                    d.error(v.position, Message(zh: "输出不可写：\(s)", en: "output is not writable: \(s)"), io: true)
                    return false
                }
                return true
            }
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            var isDir: ObjCBool = false
            if !FileManager.default.fileExists(atPath: folder, isDirectory: &isDir) {
                // Created by the run when it lies inside the pipeline's folder (foldersToCreate).
                if Self.isInside(folder, directory) { return true }
                d.error(v.position, Message(zh: "输出文件夹不存在：\(folder)", en: "output folder does not exist: \(folder)"),
                        suggestion: Message(zh: "先创建它：mkdir -p \(folder)", en: "create it first: mkdir -p \(folder)"), io: true)
                return false
            }
            if !isDir.boolValue {
                d.error(v.position, Message(zh: "输出文件夹的位置是一个文件：\(folder)", en: "the output folder is a file: \(folder)"), io: true)
                return false
            }
            if !FileManager.default.isWritableFile(atPath: folder) {
                d.error(v.position, Message(zh: "输出文件夹不可写：\(folder)", en: "output folder is not writable: \(folder)"), io: true)
                return false
            }
            return true
        }
    }

    /// A file the run reads, and where the pipeline names it.
    struct ReadFile {
        var path: String
        var position: Position?
        var what: Message
    }

    /// Nothing a run reads may be one of its outputs, and no two outputs may be one file: each
    /// overlap is an error at the output, naming where the other use is.
    @discardableResult
    func checkOverlaps(reads: [ReadFile], components: [Component], diags d: inout DiagnosticCollector) -> [String] {
        var reads = reads
        var writes: [(path: String, written: String, position: Position?)] = []
        for c in components {
            guard let spec = registry.spec(c.kind, c.name) else { continue }
            for o in spec.options {
                guard let p = c.options.path(o.name), let v = c.options.values[o.name] else { continue }
                switch o.type {
                case .inputPath:
                    reads.append(ReadFile(path: p, position: v.position,
                                          what: c.kind == .reader ? Message(zh: "输入", en: "an input") : Message(zh: "「\(c.name)」的 \(o.name)", en: "\(c.name)'s \(o.name)")))
                case .outputPath:
                    writes.append((p, v.scalar ?? p, v.position))
                default: continue
                }
            }
        }
        func at(_ p: Position?) -> String { p.map { "\($0.file):\($0.line):\($0.column)" } ?? "" }
        for (k, w) in writes.enumerated() {
            // The previous versions an output keeps (NAME.1.EXT …) must not be files the run reads either.
            let versions = (1...OutputSet.generations).map { AtomicOutput.versionName(w.path, $0) }
            if let r = reads.first(where: { r in versions.contains { FileIdentity.same($0, r.path) } }) {
                d.error(w.position, Message(zh: "输出 \(w.written) 的旧版本会占用本次运行要读取的文件 \(r.path)（\(at(r.position))）",
                                            en: "the previous versions of \(w.written) would take the name of \(r.path), which this run reads (\(at(r.position)))"),
                        suggestion: Message(zh: "输出换一个名字", en: "give the output another name"))
            }
            if let r = reads.first(where: { FileIdentity.same(w.path, $0.path) }) {
                d.error(w.position, Message(zh: "输出会覆盖本次运行要读取的文件 \(w.written)（\(at(r.position)) 作为\(r.what.zh)读取它）",
                                            en: "the output would overwrite \(w.written), which this run reads (as \(r.what.en), \(at(r.position)))"),
                        suggestion: Message(zh: "读取的文件和写出的文件用不同的名字", en: "give what is read and what is written different names"))
            }
            // Devices (/dev/null, /dev/stdout) may take several outputs.
            if !FileIdentity.isSpecial(w.path), let first = writes[..<k].first(where: { FileIdentity.same(w.path, $0.path) }) {
                d.error(w.position, Message(zh: "两个输出写同一个文件 \(w.written)（另见 \(at(first.position))）", en: "two outputs write the same file \(w.written) (see also \(at(first.position)))"))
            }
        }
        return reads.map(\.path)
    }

    /// Output folders that do not exist yet and lie inside the pipeline's folder: the run creates
    /// them (a note says so; `check` shows it).
    func foldersToCreate(_ outputs: [Component], directory: String, diags d: inout DiagnosticCollector) -> [String] {
        var folders: [String] = []
        for c in outputs {
            guard let p = c.options.path("path"), p != "-" else { continue }
            let folder = URL(fileURLWithPath: p).deletingLastPathComponent().path
            guard !FileManager.default.fileExists(atPath: folder), Self.isInside(folder, directory), !folders.contains(folder) else { continue }
            folders.append(folder)
            d.warning(c.options.values["path"]?.position, Message(zh: "输出文件夹 \(folder) 不存在，运行时将创建", en: "output folder \(folder) does not exist; the run will create it"))
        }
        return folders
    }

    static func isInside(_ folder: String, _ directory: String) -> Bool {
        let f = URL(fileURLWithPath: folder).standardizedFileURL.path, dir = URL(fileURLWithPath: directory).standardizedFileURL.path
        return f.hasPrefix(dir.hasSuffix("/") ? dir : dir + "/")
    }

    // MARK: Variables

    /// The field whose name or one of whose other names is nearest a misspelt one (街到 → 街道（乡镇）,
    /// by its other name 街道), as a did-you-mean.
    static func nearestField(_ word: String, _ schema: Schema) -> Message? {
        var owner: [String: String] = [:]
        for f in schema.fields { for n in [f.name] + f.aliases where owner[n] == nil { owner[n] = f.name } }
        let names = schema.fields.map(\.name) + owner.keys.filter { !schema.fields.map(\.name).contains($0) }.sorted()
        guard let near = Suggest.closest(to: word, in: names) else { return nil }
        let field = owner[near] ?? near
        return Message(zh: "是不是「\(field)」？", en: "did you mean '\(field)'?")
    }

    /// What `set:` on an input may take from the source it reads.
    static let sourceVariables: Set<String> = ["sheet", "file", "file_stem"]

    /// Every `${name}` the file uses.
    static func referencedVariables(_ node: ConfigNode) -> Set<String> {
        switch node.value {
        case .scalar(let s, _):
            var out: Set<String> = []
            var rest = Substring(s)
            while let r = rest.range(of: "${") {
                guard let end = rest[r.upperBound...].firstIndex(of: "}") else { break }
                out.insert(String(rest[r.upperBound..<end]))
                rest = rest[rest.index(after: end)...]
            }
            return out
        case .sequence(let items): return items.reduce(into: []) { $0.formUnion(referencedVariables($1)) }
        case .mapping(let pairs): return pairs.reduce(into: []) { $0.formUnion(referencedVariables($1.value)) }
        }
    }

    /// Replaces `${name}` in every scalar; `$${` stands for a literal `${`.
    /// `inSet`: under an input's `set:`, where `${sheet}`, `${file}`, `${file_stem}` are left for the run.
    func substitute(_ node: ConfigNode, vars: [String: String], inSet: Bool = false, diags d: inout DiagnosticCollector) -> ConfigNode {
        switch node.value {
        case .scalar(let s, let q):
            guard s.contains("${") else { return node }
            var out = ""
            var rest = Substring(s)
            while let r = rest.range(of: "${") {
                if r.lowerBound > rest.startIndex, rest[rest.index(before: r.lowerBound)] == "$" {
                    // `$${` is a literal `${`; before a per-source name the escape is kept for `set:`.
                    let name = rest[r.upperBound...].prefix { $0 != "}" }
                    out += rest[..<rest.index(before: r.lowerBound)] + (inSet && Self.sourceVariables.contains(String(name)) ? "$${" : "${")
                    rest = rest[r.upperBound...]
                    continue
                }
                out += rest[..<r.lowerBound]
                guard let end = rest[r.upperBound...].firstIndex(of: "}") else {
                    d.error(node.position, Message(zh: "变量引用缺少 }", en: "variable reference lacks a closing }"))
                    return node
                }
                let name = String(rest[r.upperBound..<end])
                if let v = vars[name], v.contains("${") {
                    d.error(node.position, Message(zh: "变量 ${\(name)} 的值「\(v)」里又引用了变量：vars 中的值不再展开", en: "the value of ${\(name)}, '\(v)', refers to another variable: values under vars are not expanded"),
                            suggestion: Message(zh: "在 vars 中直接写出值", en: "write the value itself under vars"))
                } else if let v = vars[name] { out += v } else if inSet && Self.sourceVariables.contains(name) {
                    out += "${\(name)}"      // filled per source by `set:`
                } else {
                    d.error(node.position, Message(zh: "未定义的变量 ${\(name)}", en: "undefined variable ${\(name)}"),
                            suggestion: didYouMean(name, vars.keys.sorted()) ?? Message(zh: "用 --set \(name)=值 设置，或在 vars: 中给出默认值", en: "set it with --set \(name)=VALUE or give a default under vars:"))
                }
                rest = rest[rest.index(after: end)...]
            }
            out += rest
            return ConfigNode(value: .scalar(out, quoted: q), position: node.position)
        case .sequence(let items):
            return ConfigNode(value: .sequence(items.map { substitute($0, vars: vars, inSet: inSet, diags: &d) }), position: node.position)
        case .mapping(let pairs):
            return ConfigNode(value: .mapping(pairs.map { ($0.key, $0.keyPosition, $0.key == "vars" ? $0.value : substitute($0.value, vars: vars, inSet: inSet || $0.key == "set", diags: &d)) }),
                              position: node.position)
        }
    }

    static func today() -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.locale = Locale(identifier: "en_US_POSIX")
        return f.string(from: Date())
    }

    func kindName(_ kind: PluginKind) -> Message {
        switch kind {
        case .reader: return Message(zh: "读取", en: "reader")
        case .step: return Message(zh: "步骤", en: "step")
        case .writer: return Message(zh: "输出", en: "writer")
        }
    }

    func didYouMean(_ word: String, _ candidates: [String]) -> Message? {
        Suggest.didYouMean(word, candidates)
    }
}
