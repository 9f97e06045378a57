import Foundation
import TaizhangCore

/// `validate: fields` — checks each value against its schema field: required, type
/// (text, integer, number, date as YYYY-MM-DD, boolean), pattern, code list, minimum/maximum,
/// min/max length, unique. Every failure is an error on that cell (the row is quarantined);
/// `severity: warning` keeps the rows instead.
///
/// `unique` remembers each value seen (memory grows with the distinct values of that field).
public enum FieldsValidatorPlugin {
    public static let spec = PluginSpec(
        name: "fields", kind: .step, verb: "validate",
        summary: Message(zh: "按模式检查每个字段：必填、类型、正则、代码表、范围、长度、唯一", en: "Checks each field against the schema: required, type, pattern, codes, range, length, unique"),
        options: [
            OptionSpec("only", .fieldList, doc: Message(zh: "只检查这些字段（默认全部）", en: "check only these fields (default: all)")),
            OptionSpec("severity", .choice(["error", "warning"]), default: "error", doc: Message(zh: "问题的级别；error 会隔离该行", en: "severity of the issues; error quarantines the row")),
        ],
        file: "Plugins/Fields/FieldsValidator.swift")

    public static let plugin = StepPlugin(spec: spec) { options, layout, _ throws(Diagnostics) in
        try FieldsValidator(options: options, layout: layout)
    }
}

final class FieldsValidator: Step {
    /// A class, not a struct: it is handed to `check` for every cell, and copying a struct of
    /// strings, sets and a regex there cost more than the checks themselves.
    final class Check {
        let index: Int
        let field: Field
        let regex: NSRegularExpression?
        /// The same pattern on bytes, when it is in the subset `BytePattern` handles.
        let bytePattern: BytePattern?
        let codes: Set<String>?
        /// The code list as bytes, compared without making a String (short lists).
        let codeBytes: [[UInt8]]?
        // What the per-cell path needs of `field`, as plain values (reading them from the field
        // copies its strings and arrays, with a retain and release each, for every cell).
        let required: Bool
        let type: FieldType
        /// A length or numeric range rule: the value's text is always needed.
        let needsText: Bool
        /// The values seen, for a `unique` field.
        let seen: UniqueIndex?

        init(index: Int, field: Field, regex: NSRegularExpression?, bytePattern: BytePattern?, codes: Set<String>?, codeBytes: [[UInt8]]?) {
            self.index = index
            self.field = field
            self.regex = regex
            self.bytePattern = bytePattern
            self.codes = codes
            self.codeBytes = codeBytes
            required = field.required
            type = field.type
            needsText = field.minLength != nil || field.maxLength != nil
                || ((field.minimum != nil || field.maximum != nil) && (field.type == .integer || field.type == .number))
            seen = field.unique ? UniqueIndex() : nil
        }
    }

    private let checks: [Check]
    private let severity: Severity

    init(options: Options, layout: Layout) throws(Diagnostics) {
        severity = options.string("severity") == "warning" ? .warning : .error
        let only = options.strings("only")
        var checks: [Check] = []
        var d = DiagnosticCollector()
        for name in only where layout.schema.field(named: name) == nil {
            d.error(options.position(of: "only"), Message(zh: "模式中没有字段「\(name)」", en: "the schema has no field '\(name)'"),
                    suggestion: Suggest.didYouMean(name, layout.schema.fields.map(\.name)))
        }
        try d.throwIfErrors()
        for (i, f) in layout.schema.fields.enumerated() where only.isEmpty || only.contains(f.name) {
            let regex = f.pattern.flatMap { try? NSRegularExpression(pattern: "^(?:" + $0 + ")$") }
            let codeBytes = f.codes.flatMap { $0.count <= 32 ? $0.map { Array($0.utf8) } : nil }
            checks.append(Check(index: i, field: f, regex: regex, bytePattern: f.pattern.flatMap(BytePattern.init),
                                codes: f.codes.map(Set.init), codeBytes: codeBytes))
        }
        self.checks = checks
    }

    func process(_ batch: inout Batch) throws {
        // A cell a step before has already found wrong (a date no one can read) is not reported twice.
        let flagged = batch.cellsWithErrors()
        checks.withUnsafeBufferPointer { checks in
            for r in 0..<batch.count {
                for k in checks.indices {
                    // Borrowed, not retained and released for every cell (13 % of the step).
                    Unmanaged.passUnretained(checks[k])._withUnsafeGuaranteedRef { c in
                        if flagged.isEmpty || !flagged.contains(r &* batch.fieldCount &+ c.index) { check(c, row: r, in: &batch) }
                    }
                }
            }
        }
    }

    private func check(_ c: Check, row r: Int, in batch: inout Batch) {
        if batch.isEmpty(row: r, field: c.index) || batch.withBytes(row: r, field: c.index, { $0.allSatisfy { $0 == 0x20 || $0 == 0x09 } }) {
            if c.required {
                batch.report(row: r, field: c.index, code: "required", severity: severity,
                             message: Message(zh: "必填字段为空", en: "required field is empty"),
                             suggestion: Message(zh: "填写「\(c.field.name)」", en: "fill in '\(c.field.name)'"))
            }
            return
        }
        // Type checks stay on bytes; a String is made only when a rule needs text.
        let type = c.type
        let typeOK: Bool = batch.withBytes(row: r, field: c.index) { v in
            switch type {
            case .text, .serial: return true
            case .integer: return Self.isInteger(v)
            case .number: return Self.isNumber(v)
            case .date: return Self.isISODate(v)
            case .boolean: return Self.isBoolean(v)
            }
        }
        if !typeOK {
            batch.report(row: r, field: c.index, code: "type-error", severity: severity,
                         message: Self.typeMessage(type), suggestion: type == .date ? Message(zh: "写成 1985-03-12 或 1985-03", en: "write it as 1985-03-12 or 1985-03") : nil,
                         value: batch.string(row: r, field: c.index))
            return
        }
        // Pattern and code list on bytes where possible; a String only when a rule needs text.
        let patternOK: Bool? = c.bytePattern.flatMap { bp in batch.withBytes(row: r, field: c.index) { bp.matches($0) } }
        let codeOK: Bool? = c.codeBytes.map { list in batch.withBytes(row: r, field: c.index) { v in list.contains { $0.elementsEqual(v) } } }
        let needsText = c.needsText || (c.regex != nil && patternOK != true) || (c.codes != nil && codeOK != true)
        if !needsText {
            if let seen = c.seen { checkUnique(c, seen, row: r, in: &batch) }
            return
        }
        let f = c.field
        let value = batch.string(row: r, field: c.index)
        if let re = c.regex, !(patternOK ?? (re.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil)) {
            batch.report(row: r, field: c.index, code: "pattern-mismatch", severity: severity,
                         message: Message(zh: "格式不符合要求（\(f.pattern!)）", en: "does not match the required pattern (\(f.pattern!))"), value: value)
        }
        if let codes = c.codes, !(codeOK ?? codes.contains(value)) {
            let shown = f.codes!.prefix(12).joined(separator: "、")
            batch.report(row: r, field: c.index, code: "not-in-codes", severity: severity,
                         message: Message(zh: "不在代码表中", en: "not in the code list"),
                         suggestion: Message(zh: "可用的值：\(shown)\(f.codes!.count > 12 ? "…" : "")", en: "allowed: \(f.codes!.prefix(12).joined(separator: ", "))\(f.codes!.count > 12 ? "…" : "")"),
                         value: value)
        }
        if f.type == .integer || f.type == .number, let x = Double(value) {
            if let lo = f.minimum, x < lo {
                batch.report(row: r, field: c.index, code: "out-of-range", severity: severity,
                             message: Message(zh: "小于最小值 \(Self.fmt(lo))", en: "less than the minimum \(Self.fmt(lo))"), value: value)
            }
            if let hi = f.maximum, x > hi {
                batch.report(row: r, field: c.index, code: "out-of-range", severity: severity,
                             message: Message(zh: "大于最大值 \(Self.fmt(hi))", en: "greater than the maximum \(Self.fmt(hi))"), value: value)
            }
        }
        let length = f.minLength != nil || f.maxLength != nil ? value.count : 0
        if let lo = f.minLength, length < lo {
            batch.report(row: r, field: c.index, code: "length-error", severity: severity,
                         message: Message(zh: "长度 \(length) 少于 \(lo) 个字符", en: "length \(length) is under \(lo) characters"), value: value)
        }
        if let hi = f.maxLength, length > hi {
            batch.report(row: r, field: c.index, code: "length-error", severity: severity,
                         message: Message(zh: "长度 \(length) 超过 \(hi) 个字符", en: "length \(length) is over \(hi) characters"), value: value)
        }
        if let seen = c.seen { checkUnique(c, seen, row: r, in: &batch) }
    }

    private func checkUnique(_ c: Check, _ index: UniqueIndex, row r: Int, in batch: inout Batch) {
        let source = batch.source.index, row = Int32(batch.rowNumbers[r]), record = Int32(batch.recordNumbers[r])
        if !index.knows(source: source) { index.register(source: source, batch.origin(row: r)) }
        // The closure captures numbers only: capturing `batch` would copy it for every cell.
        let first = batch.withBytes(row: r, field: c.index) { v in
            index.firstOrInsert(UnsafeRawBufferPointer(v), source: source, row: row, record: record)
        }
        if let first {
            batch.report(row: r, field: c.index, code: "unique-violation", severity: severity,
                         message: Message(zh: "与 \(first.location) 重复（该字段要求唯一）", en: "same value as \(first.location) (the field must be unique)"),
                         value: batch.string(row: r, field: c.index))
        }
    }

    static func fmt(_ d: Double) -> String { d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d) }

    static func typeMessage(_ t: FieldType) -> Message {
        switch t {
        case .integer: return Message(zh: "应为整数", en: "must be an integer")
        case .number: return Message(zh: "应为数字", en: "must be a number")
        case .date: return Message(zh: "应为日期（YYYY-MM-DD 或 YYYY-MM）", en: "must be a date (YYYY-MM-DD or YYYY-MM)")
        case .boolean: return Message(zh: "应为是/否（true/false）", en: "must be yes/no (true/false)")
        case .text, .serial: return Message(zh: "应为文本", en: "must be text")
        }
    }

    static func isInteger(_ v: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if let f = v.first, f == 0x2B || f == 0x2D { i = 1 }
        guard i < v.count else { return false }
        while i < v.count { guard v[i] >= 0x30 && v[i] <= 0x39 else { return false }; i += 1 }
        return true
    }

    static func isNumber(_ v: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0, digits = 0, dot = false
        if let f = v.first, f == 0x2B || f == 0x2D { i = 1 }
        while i < v.count {
            let b = v[i]
            if b >= 0x30 && b <= 0x39 { digits += 1 } else if b == 0x2E && !dot { dot = true } else if (b == 0x65 || b == 0x45) && digits > 0 {
                let rest = UnsafeBufferPointer(rebasing: v[(i + 1)...])
                return isInteger(rest)
            } else { return false }
            i += 1
        }
        return digits > 0
    }

    /// YYYY-MM-DD, or YYYY-MM (ledgers often record only the year and month of birth).
    static func isISODate(_ v: UnsafeBufferPointer<UInt8>) -> Bool {
        if v.count == 7, v[4] == 0x2D {
            var ok = true
            for i in [0, 1, 2, 3, 5, 6] where !(v[i] >= 0x30 && v[i] <= 0x39) { ok = false }
            let m = ok ? Int(v[5] - 0x30) * 10 + Int(v[6] - 0x30) : 0
            return ok && (1...12).contains(m)
        }
        guard v.count == 10, v[4] == 0x2D, v[7] == 0x2D else { return false }
        func num(_ a: Int, _ b: Int) -> Int? {
            var n = 0
            for i in a..<b { guard v[i] >= 0x30 && v[i] <= 0x39 else { return nil }; n = n * 10 + Int(v[i] - 0x30) }
            return n
        }
        guard let y = num(0, 4), let m = num(5, 7), let d = num(8, 10), (1...12).contains(m), d >= 1 else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        return d <= days
    }

    static func isBoolean(_ v: UnsafeBufferPointer<UInt8>) -> Bool {
        ["true", "false", "yes", "no", "是", "否", "1", "0"].contains(String(decoding: v, as: UTF8.self).lowercased())
    }
}

/// The values of a `unique` field seen so far, without a String or an allocation per row (a core
/// `ByteIndex`: a hash collision can never pass for a repeat). Values are compared as written, byte for byte.
final class UniqueIndex {
    private var values = ByteIndex()
    /// Per value (entry of `values`): its first source (an index into `sources`), row and record number.
    private var places: [(source: Int32, row: Int32, record: Int32)] = []
    private var sources: [Origin?] = []

    func knows(source: Int) -> Bool { source < sources.count && sources[source] != nil }

    /// The file and sheet of a source, kept once (rows and records are kept per value).
    func register(source: Int, _ origin: Origin) {
        var o = origin
        o.row = nil
        o.record = nil
        o.column = nil
        o.header = nil
        while sources.count <= source { sources.append(nil) }
        sources[source] = o
    }

    /// Where the value was first seen, or nil (and it is remembered here) when it is new.
    /// `register` the source first.
    func firstOrInsert(_ v: UnsafeRawBufferPointer, source: Int, row: Int32, record: Int32) -> Origin? {
        let (e, new) = values.insert(v)
        guard new else { return place(e) }
        places.append((Int32(source), row, record))
        return nil
    }

    private func place(_ e: Int) -> Origin {
        let p = places[e]
        var o = sources[Int(p.source)]!
        o.row = Int(p.row)
        if p.record > 0 { o.record = Int(p.record) }
        return o
    }
}
