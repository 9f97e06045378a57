import Foundation

/// The type a field's values must have. Values are carried as text; the type says how the
/// `fields` validator checks them and how writers that know types (JSON) write them.
public enum FieldType: String, Sendable, Codable, CaseIterable {
    case text, integer, number, date, boolean
    /// A row's number in its own ledger (序号): not checked; a ledger written from several
    /// ledgers numbers its rows afresh (the source file and row say where each came from).
    case serial
}

/// One column of the standard ledger: its canonical name, the header texts that mean it,
/// and the constraints the `fields` validator checks.
public struct Field: Sendable, Hashable {
    public var name: String
    public var aliases: [String]
    public var type: FieldType
    public var required: Bool
    /// A regular expression the whole value must match.
    public var pattern: String?
    /// The allowed values (a code list).
    public var codes: [String]?
    public var minimum: Double?
    public var maximum: Double?
    public var minLength: Int?
    public var maxLength: Int?
    public var unique: Bool
    /// Personal data (ID numbers, phones, names, belief): masked in reports by default.
    public var personal: Bool
    public var doc: String?
    /// The standard values offered in a blank ledger's drop-down (`taizhang template`); unlike
    /// `codes`, nothing checks them (a pack's normaliser and validators do that).
    public var choices: [String]?
    /// The value identifies a person (a national ID number): rows with the same value are one
    /// person, and a ledger written from several ledgers numbers persons by it (人员编号).
    public var identifies = false
    /// Part of a run's ledger only when one of its sources has the column (`when_present: true`):
    /// a pack's further fields (人员状态, 联系人 …) do not add empty columns to every ledger.
    public var whenPresent = false

    public init(name: String, aliases: [String] = [], type: FieldType = .text, required: Bool = false,
                pattern: String? = nil, codes: [String]? = nil, minimum: Double? = nil, maximum: Double? = nil,
                minLength: Int? = nil, maxLength: Int? = nil, unique: Bool = false, personal: Bool = false,
                doc: String? = nil, choices: [String]? = nil, identifies: Bool = false) {
        self.choices = choices
        self.identifies = identifies
        self.name = name
        self.aliases = aliases
        self.type = type
        self.required = required
        self.pattern = pattern
        self.codes = codes
        self.minimum = minimum
        self.maximum = maximum
        self.minLength = minLength
        self.maxLength = maxLength
        self.unique = unique
        self.personal = personal
        self.doc = doc
    }
}

/// The fields a pipeline maps its sources onto. Built in (registered by a plugin), or read
/// from a schema file (YAML or JSON) named in the pipeline.
public struct Schema: Sendable {
    public var name: String
    public var fields: [Field]
    /// The office profile this schema was extended with (`profile:` in a pipeline, a file that
    /// says `extends:`), whole: the keys other than `fields` are for the pack that registered the
    /// base schema (its vocabulary), which reads and checks them.
    public var profile: ConfigNode?

    public init(name: String, fields: [Field]) {
        self.name = name
        self.fields = fields
    }

    /// A schema with no fields: every column is carried through under its own header.
    public static func open(name: String = "open") -> Schema { Schema(name: name, fields: []) }

    public func field(named name: String) -> Field? { fields.first { $0.name == name } }

    /// The key under which header texts are compared: spaces removed, full-width forms folded
    /// (NFKC), case folded, and the marks ledgers put on headers (`*`, `:`, `：`) dropped.
    public static func headerKey(_ text: String) -> String {
        let folded = text.precomposedStringWithCompatibilityMapping.lowercased()
        var out = String.UnicodeScalarView()
        for u in folded.unicodeScalars {
            if u.properties.isWhitespace || u == "*" || u == ":" || u == "\u{FEFF}" { continue }
            out.append(u)
        }
        return String(out)
    }

    /// Header key → field index, over names and aliases.
    public func headerIndex() -> [String: Int] {
        var map: [String: Int] = [:]
        for (i, f) in fields.enumerated() {
            for name in [f.name] + f.aliases {
                let k = Schema.headerKey(name)
                if map[k] == nil { map[k] = i }
            }
        }
        return map
    }
}

extension Schema {
    /// The fields' section of `taizhang profile show`: its heading, then a line per field.
    public var fieldSection: [String] { ["", "## 字段（表头可用的名称）"] + fieldListing }

    /// A line per field, as `taizhang profile show` prints them: the name, 必填 / 个人信息, and the
    /// header texts that mean it.
    public var fieldListing: [String] {
        fields.map { f in
            let marks = [f.required ? "必填" : nil, f.personal ? "个人信息" : nil].compactMap { $0 }
            return "\(f.name)\(marks.isEmpty ? "" : "（\(marks.joined(separator: "、"))）")：\(f.aliases.joined(separator: "、"))"
        }
    }
}

extension Schema {
    private static let fieldKeys = ["name", "aliases", "type", "required", "pattern", "codes", "minimum",
                                    "maximum", "min_length", "max_length", "unique", "personal", "identifies", "doc", "choices", "when_present"]

    /// Reads a schema from a YAML/JSON node: `{name, fields: [{name, aliases, type, …}]}`. Keys in
    /// `otherKeys` are someone else's (a pack's tables) and left alone.
    public static func load(from node: ConfigNode, otherKeys: [String] = []) throws(Diagnostics) -> Schema {
        var diags = DiagnosticCollector()
        guard let pairs = node.pairs else {
            throw Diagnostics([Diagnostic(.error, at: node.position, Message(zh: "模式应是映射（name, fields）", en: "a schema must be a mapping (name, fields)"))])
        }
        for p in pairs where !(["name", "fields"] + otherKeys).contains(p.key) {
            diags.error(p.keyPosition, Message(zh: "模式中未知的键「\(p.key)」", en: "unknown key '\(p.key)' in schema"),
                        suggestion: Suggest.didYouMean(p.key, ["name", "fields"] + otherKeys))
        }
        let fields = fields(node["fields"], diags: &diags)
        try diags.throwIfErrors()
        return Schema(name: node["name"]?.scalar ?? "schema", fields: fields)
    }

    /// This schema extended by an office profile: a field of the profile with the name (or an
    /// alias) of one of ours adds its aliases and overrides what it sets; a new name is a new
    /// field, after ours. The profile is kept whole for the pack (`profile`).
    public func extended(by profile: ConfigNode, packKeys: [String]) throws(Diagnostics) -> Schema {
        var diags = DiagnosticCollector()
        let keys = ["extends", "fields", "severity"] + packKeys
        for p in profile.pairs ?? [] where !keys.contains(p.key) {
            diags.error(p.keyPosition, Message(zh: "档案中未知的键「\(p.key)」", en: "unknown key '\(p.key)' in the profile"),
                        suggestion: Suggest.didYouMean(p.key, keys))
        }
        var out = self
        var index = headerIndex()
        if let f = profile["fields"], f.items == nil {
            diags.error(f.position, Message(zh: "fields 应是列表（每项以 - 开头，写 name: …）", en: "fields must be a list (items starting with -, each with name: …)"))
        }
        for item in profile["fields"]?.items ?? [] {
            var one = DiagnosticCollector()
            guard let f = Self.fields(ConfigNode(value: .sequence([item]), position: item.position), diags: &one).first else {
                diags.append(Diagnostics(one.items))
                continue
            }
            diags.append(Diagnostics(one.items))
            guard let i = index[Self.headerKey(f.name)] else {
                for n in [f.name] + f.aliases where index[Self.headerKey(n)] == nil { index[Self.headerKey(n)] = out.fields.count }
                out.fields.append(f)
                continue
            }
            var base = out.fields[i]
            base.aliases += f.aliases.filter { !base.aliases.contains($0) }
            if item["type"] != nil { base.type = f.type }
            if item["required"] != nil { base.required = f.required }
            if item["personal"] != nil {
                // Personal data stays masked: a profile may mark more fields personal, never fewer.
                if base.personal && !f.personal, let n = item["personal"] {
                    diags.error(n.position, Message(zh: "「\(base.name)」是个人信息，档案不能取消（报告中默认遮盖）", en: "'\(base.name)' is personal data; a profile cannot unmark it (reports mask it by default)"))
                }
                base.personal = base.personal || f.personal
            }
            if item["unique"] != nil { base.unique = f.unique }
            if item["pattern"] != nil { base.pattern = f.pattern }
            if item["codes"] != nil { base.codes = f.codes }
            if item["choices"] != nil { base.choices = f.choices }
            if item["doc"] != nil { base.doc = f.doc }
            if item["identifies"] != nil { base.identifies = f.identifies }
            if item["when_present"] != nil { base.whenPresent = f.whenPresent }
            if item["minimum"] != nil { base.minimum = f.minimum }
            if item["maximum"] != nil { base.maximum = f.maximum }
            if item["min_length"] != nil { base.minLength = f.minLength }
            if item["max_length"] != nil { base.maxLength = f.maxLength }
            out.fields[i] = base
        }
        try diags.throwIfErrors()
        out.profile = profile
        return out
    }

    private static func fields(_ list: ConfigNode?, diags: inout DiagnosticCollector) -> [Field] {
        var fields: [Field] = []
        for item in list?.items ?? [] {
            guard let fp = item.pairs else {
                diags.error(item.position, Message(zh: "字段应是映射", en: "a field must be a mapping"))
                continue
            }
            for p in fp where !fieldKeys.contains(p.key) {
                diags.error(p.keyPosition, Message(zh: "字段中未知的键「\(p.key)」", en: "unknown field key '\(p.key)'"),
                            suggestion: Suggest.didYouMean(p.key, fieldKeys))
            }
            guard let fname = item["name"]?.scalar, !fname.isEmpty else {
                diags.error(item.position, Message(zh: "字段缺少 name", en: "field has no name"))
                continue
            }
            var f = Field(name: fname)
            f.aliases = item["aliases"]?.items?.compactMap(\.scalar) ?? []
            if let t = item["type"] {
                if let ft = t.scalar.flatMap(FieldType.init(rawValue:)) { f.type = ft } else {
                    diags.error(t.position, Message(zh: "未知的类型「\(t.scalar ?? "")」，可用：\(FieldType.allCases.map(\.rawValue).joined(separator: ", "))",
                                                    en: "unknown type '\(t.scalar ?? "")'; use \(FieldType.allCases.map(\.rawValue).joined(separator: ", "))"),
                               suggestion: Suggest.didYouMean(t.scalar ?? "", FieldType.allCases.map(\.rawValue)))
                }
            }
            func bool(_ key: String) -> Bool {
                guard let n = item[key] else { return false }
                switch n.scalar?.lowercased() {
                case "true", "yes": return true
                case "false", "no": return false
                default:
                    diags.error(n.position, Message(zh: "「\(key)」应为 true 或 false", en: "'\(key)' must be true or false"))
                    return false
                }
            }
            func number(_ key: String) -> Double? {
                guard let n = item[key] else { return nil }
                if let d = n.scalar.flatMap(Double.init) { return d }
                diags.error(n.position, Message(zh: "「\(key)」应为数字", en: "'\(key)' must be a number"))
                return nil
            }
            f.required = bool("required")
            f.unique = bool("unique")
            f.personal = bool("personal")
            f.identifies = bool("identifies")
            f.whenPresent = bool("when_present")
            f.pattern = item["pattern"]?.scalar
            if let pat = f.pattern, (try? NSRegularExpression(pattern: pat)) == nil, let n = item["pattern"] {
                diags.error(n.position, Message(zh: "正则表达式无效：\(pat)", en: "invalid regular expression: \(pat)"))
            }
            f.codes = item["codes"]?.items?.compactMap(\.scalar)
            f.minimum = number("minimum")
            f.maximum = number("maximum")
            // A length as a count of characters: none below 0, none past what an Int holds (1e19, NaN).
            func length(_ key: String) -> Int? { number(key).map { !($0 > 0) ? 0 : $0 >= 9.2e18 ? Int.max : Int($0) } }
            f.minLength = length("min_length")
            f.maxLength = length("max_length")
            f.doc = item["doc"]?.scalar
            f.choices = item["choices"]?.items?.compactMap(\.scalar)
            fields.append(f)
        }
        return fields
    }
}
