import Foundation
import TaizhangCore

/// The units a chain reports on (the communities under a street …), from a small table an office
/// keeps — CSV or a workbook with the columns 名称 (official name), 代码, 别名 (other names, split by
/// 、 ; ，) and 上级, or a YAML list of the same keys — named by `units:` on `normalize: member-ledger`
/// (names brought to the official one, an unknown name said), `member-return` and `taizhang merge`
/// (units that sent nothing listed). A name is matched as written, then in 简体 without spaces and
/// without the suffixes a ledger adds or drops (社区居民委员会, 居委会, 社区 …).
public struct Units {
    public struct Unit: Sendable, Equatable {
        public var name: String
        public var code: String
        public var aliases: [String]
        public var parent: String
    }

    public private(set) var all: [Unit]
    private var byKey: [String: Int] = [:]
    private let simplifier = Simplifier()

    static let suffixes = ["社区居民委员会", "居民委员会", "社区居委会", "居委会", "村民委员会", "村委会", "社区", "村"]

    /// Official names first, then other names; a name or other name that two units share is a
    /// mistake in the list (which of them would a ledger's 乙社区 be?), said by `conflicts`.
    init(_ units: [Unit]) {
        all = units
        var owner: [String: Int] = [:]
        for (i, u) in units.enumerated() {
            for n in [u.name] + u.aliases where !n.isEmpty {
                for k in Set([n, Self.key(n, simplify: simplifier.simplify)]) {
                    if let j = owner[k], j != i {
                        conflicts.append((k, units[j].name, u.name))
                    } else {
                        owner[k] = i
                    }
                }
            }
        }
        byKey = owner
    }

    /// Names (or other names) the list gives two units: (name, first unit, second unit).
    private(set) var conflicts: [(String, String, String)] = []

    /// 黃新路社區 → 黄新路, 黄新路社区居委会 → 黄新路.
    static func key(_ s: String, simplify: (String) -> String) -> String {
        var k = simplify(TextFold.basic(s)).replacingOccurrences(of: " ", with: "")
        for suffix in suffixes where k.hasSuffix(suffix) && k.count > suffix.count + 1 {
            k.removeLast(suffix.count)
            break
        }
        return k
    }

    /// The official name for a name as a ledger writes it, nil when the list has no such unit.
    public func official(_ raw: String) -> String? {
        if let i = byKey[raw] { return all[i].name }
        return byKey[Self.key(raw, simplify: simplifier.simplify)].map { all[$0].name }
    }

    /// The nearest official name, for a did-you-mean.
    func nearest(_ raw: String) -> Message? { Suggest.didYouMean(raw, all.map(\.name)) }

    /// The units under `parent` (all of them when it is empty or names none of the list's parents).
    public func under(_ parent: String) -> [Unit] {
        let children = all.filter { $0.parent == parent }
        return parent.isEmpty || children.isEmpty ? all : children
    }

    /// Reads the list named by `path` (CSV or workbook through the registry's readers, or YAML).
    public static func load(path: String, display: String, registry: Registry?, language: Language) throws(SourceError) -> Units {
        var units: [Unit] = []
        func split(_ s: String?) -> [String] {
            (s ?? "").split(whereSeparator: { "、;；,，".contains($0) }).map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
        }
        let lower = path.lowercased()
        if lower.hasSuffix(".yml") || lower.hasSuffix(".yaml") {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw SourceError(Origin(file: display), Message(zh: "无法读取单位名单", en: "cannot read the list of units"))
            }
            let root: ConfigNode
            do { root = try ConfigNode.parse(text, file: display) } catch {
                throw SourceError(Origin(file: display), Message(zh: "单位名单不是有效的 YAML：\(error.items.first?.message.zh ?? "")", en: "the list of units is not valid YAML: \(error.items.first?.message.en ?? "")"))
            }
            for item in root.items ?? [] {
                let name = item["名称"]?.scalar ?? item["name"]?.scalar ?? ""
                guard !name.isEmpty else { continue }
                let aliases = item["别名"]?.items?.compactMap(\.scalar) ?? item["aliases"]?.items?.compactMap(\.scalar) ?? split(item["别名"]?.scalar ?? item["aliases"]?.scalar)
                units.append(Unit(name: name, code: item["代码"]?.scalar ?? item["code"]?.scalar ?? "", aliases: aliases,
                                  parent: item["上级"]?.scalar ?? item["parent"]?.scalar ?? ""))
            }
        } else {
            guard let registry else { throw SourceError(Origin(file: display), Message(zh: "无法读取单位名单", en: "cannot read the list of units")) }
            let t = try SideTable.read(path: path, display: display, registry: registry, language: language)
            guard let nameColumn = ["名称", "单位名称", "社区", "name"].first(where: { t.header.contains($0) }) else {
                throw SourceError(Origin(file: display), Message(zh: "单位名单缺少「名称」列（可有：名称、代码、别名、上级）", en: "the list of units has no 名称 (name) column"))
            }
            for r in t.rows.indices {
                guard let name = t.value(r, nameColumn)?.trimmingSpaces(), !name.isEmpty else { continue }
                units.append(Unit(name: name, code: t.value(r, "代码") ?? t.value(r, "code") ?? "", aliases: split(t.value(r, "别名") ?? t.value(r, "aliases")),
                                  parent: t.value(r, "上级") ?? t.value(r, "parent") ?? ""))
            }
        }
        guard !units.isEmpty else { throw SourceError(Origin(file: display), Message(zh: "单位名单是空的（应是带「名称」列的表，或 YAML 列表）", en: "the list of units is empty (a table with a 名称 column, or a YAML list)")) }
        let list = Units(units)
        if let (name, a, b) = list.conflicts.first {
            throw SourceError(Origin(file: display), Message(
                zh: "单位名单中「\(name)」同时指「\(a)」和「\(b)」（名称或别名重复）：台账里写的「\(name)」无法确定是哪个单位",
                en: "in the list of units '\(name)' names both '\(a)' and '\(b)' (a name or other name repeated)"))
        }
        return list
    }

    /// The list an option names, or nil; an unreadable list is an error at the option.
    static func load(_ options: Options, _ context: PluginContext) throws(Diagnostics) -> Units? {
        guard let path = options.path("units") else { return nil }
        do {
            return try load(path: path, display: options.string("units") ?? path, registry: context.registry, language: context.language)
        } catch {
            throw Diagnostics([Diagnostic(.error, at: options.position(of: "units"), error.message, isIO: true)])
        }
    }
}
