import ArgumentParser
import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangMemberLedger
import TaizhangWriters

/// `taizhang store …`: asking the office's store (资料库) what it holds — the periods, one person's
/// history, who joined, left, moved or changed category between two periods, a period's ledger.
/// Names and ID numbers are masked unless `--full-personal-data`.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "查询资料库：各期快照、某人的历次记录、两期之间的人员变动、导出某期台账 / ask the store: periods, a person's history, changes, export",
        subcommands: [Periods.self, History.self, Changes.self, Export.self])

    struct Where: ParsableArguments {
        @Option(name: .customLong("store"), help: "资料库文件（流水线的 store:）/ the store file")
        var store: String

        @Flag(name: .customLong("full-personal-data"), help: "显示完整的姓名和身份证号（默认遮蔽）/ show names and ID numbers in full")
        var full = false

        func open() throws -> Store {
            do { return try Store(path: store, create: false) } catch let p as Store.Problem { throw CommandError(p.message, .io) }
        }

        var masking: Masking { full ? .full : .masked }
    }

    typealias F = MemberLedgerSchema.Fields

    struct Periods: ParsableCommand, LanguageChoosing {
        static let configuration = CommandConfiguration(abstract: "列出资料库中的各期快照 / list the stored periods")
        @OptionGroup var where_: Where
        @OptionGroup var common: Common

        func run() throws {
            let snapshots = try where_.open().snapshots()
            if snapshots.isEmpty { print(common.language == .zh ? "资料库中还没有任何快照（用 write: store 保存一次运行）" : "the store holds no snapshot yet (save a run with write: store)") }
            for (period, list) in Dictionary(grouping: snapshots, by: \.period).sorted(by: { $0.key < $1.key }) {
                // The ledger's snapshots first, then other kinds of records (a visit log's), each with its total.
                for (kind, of) in Dictionary(grouping: list, by: \.kind).sorted(by: { $0.key < $1.key }) {
                    let total = of.map(\.records).reduce(0, +)
                    let label = kind.isEmpty ? "" : "[\(kind)] "
                    print("\(period)：\(label)" + of.map { "\($0.unit) \($0.records) 条" }.joined(separator: "，") + (common.language == .zh ? "（合计 \(total) 条）" : " (\(total) records)"))
                }
            }
        }
    }

    struct History: ParsableCommand, LanguageChoosing {
        static let configuration = CommandConfiguration(abstract: "某人的历次记录（按身份证号，或姓名加 --unit）/ a person's records, period by period")
        @Argument(help: "身份证号或姓名 / ID number or name")
        var who: String
        @Option(help: "所在单位（按姓名查时缩小范围）/ the unit (with a name)")
        var unit: String?
        @OptionGroup var where_: Where
        @OptionGroup var common: Common

        func run() throws {
            let store = try where_.open()
            let id = who.uppercased()
            let looksLikeID = id.count == 18 && id.dropLast().allSatisfy(\.isNumber)
            let records: [Store.Record]
            if looksLikeID {
                records = try store.history(key: "id:" + id)
            } else {
                // The name however it was written: 陳靜 finds 陈静 and 陈 静.
                let folder = NameFolder(), folded = folder.fold(who)
                let names = try store.names(ofLength: folded.count).filter { folder.fold($0) == folded }
                records = try store.history(names: Array(Set(names + [who])), unit: unit)
            }
            let m = where_.masking
            guard !records.isEmpty else {
                print(common.language == .zh ? "资料库中没有「\(who)」的记录" : "no record of '\(who)' in the store")
                throw ExitCode(1)
            }
            // Several people of one name: each one's records by themselves, never compared with another's.
            var order: [String] = []
            let byPerson = Dictionary(grouping: records) { r in
                if !order.contains(r.person) { order.append(r.person) }
                return r.person
            }
            for (n, person) in order.enumerated() {
                if order.count > 1 {
                    print(common.language == .zh ? "—— 第 \(n + 1) 人（共 \(order.count) 人）——" : "—— person \(n + 1) of \(order.count) ——")
                }
                show(byPerson[person] ?? [], masking: m)
            }
        }

        private func show(_ records: [Store.Record], masking m: Masking) {
            var last: Store.Record?
            for r in records {
                var line = "\(r.period)  \(r.unit)  \(m.apply(r.values[F.name] ?? ""))  \(r.values[F.category] ?? "")  （\(Origin(file: r.file, sheet: r.sheet, row: r.row).rowPlace)）"
                if let before = last {
                    var what: [String] = []
                    if before.unit != r.unit { what.append("调动：\(before.unit) → \(r.unit)") }
                    if before.values[F.category] != r.values[F.category] { what.append("类别：\(before.values[F.category] ?? "") → \(r.values[F.category] ?? "")") }
                    for (k, v) in r.values.sorted(by: { $0.key < $1.key }) where before.values[k] != v && k != F.category && k != F.name && !personal(k) {
                        what.append("\(k)：\(before.values[k] ?? "（空）") → \(v)")
                    }
                    if !what.isEmpty { line += "\n      " + what.joined(separator: "；") }
                }
                if !r.changes.isEmpty {
                    line += "\n      规范化：" + r.changes.sorted { $0.key < $1.key }.map { k, v in
                        v.isEmpty ? "\(k) 原为空（已补齐）" : "\(k) 原为「\(personal(k) ? m.apply(v) : v)」"
                    }.joined(separator: "，")
                }
                print(line)
                last = r
            }
        }

        func personal(_ field: String) -> Bool { MemberLedgerSchema.schema.fields.first { $0.name == field }?.personal ?? false }
    }

    struct Changes: ParsableCommand, LanguageChoosing {
        static let configuration = CommandConfiguration(abstract: "两期之间的人员变动：新增、减少、调动、类别变化（具名）/ who joined, left, moved or changed category between two periods")
        @Argument(help: "上一期，如 2026Q2 / the earlier period") var from: String
        @Argument(help: "这一期，如 2026Q3 / the later period") var to: String
        @Option(help: "只看一个单位 / one unit only") var unit: String?
        @Flag(help: "输出 JSON / print JSON") var json = false
        @OptionGroup var where_: Where
        @OptionGroup var common: Common

        func run() throws {
            let store = try where_.open()
            let periods = try store.periods()
            for p in [from, to] where !periods.contains(p) {
                throw CommandError(Store.noPeriod(p, has: periods), .usage)
            }
            let changes = StoreChanges(before: try store.records(period: from), after: try store.records(period: to), unit: unit)
            let m = where_.masking
            if json {
                let rows = changes.list.map { ["change": $0.kind, "name": m.apply($0.name), "unit": $0.unit, "detail": $0.detail] }
                let data = try JSONSerialization.data(withJSONObject: ["from": from, "to": to, "changes": rows], options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
                return
            }
            print(common.language == .zh ? "\(from) → \(to)\(unit.map { "（\($0)）" } ?? "")：新增 \(changes.count("新增")) 人，减少 \(changes.count("减少")) 人，调动 \(changes.count("调动")) 人，类别变化 \(changes.count("类别变化")) 人"
                                         : "\(from) → \(to): joined \(changes.count("新增")), left \(changes.count("减少")), moved \(changes.count("调动")), category changed \(changes.count("类别变化"))")
            for c in changes.list { print("  \(c.kind)  \(c.unit)  \(m.apply(c.name))  \(c.detail)") }
        }
    }

    struct Export: ParsableCommand, LanguageChoosing {
        static let configuration = CommandConfiguration(abstract: "导出某期台账（.xlsx 或 .csv；个人信息默认遮蔽）/ export a period's ledger (.xlsx or .csv; personal data masked unless --full-personal-data)")
        @Argument(help: "报告期 / the period") var period: String
        @Option(help: "输出文件（.xlsx 或 .csv）/ output file (.xlsx or .csv)") var out: String
        @Option(help: "只导出一个单位 / one unit only") var unit: String?
        @OptionGroup var where_: Where
        @OptionGroup var common: Common

        func run() throws {
            let lower = out.lowercased()
            guard lower.hasSuffix(".xlsx") || lower.hasSuffix(".csv") else {
                throw CommandError(Message(zh: "--out 应为 .xlsx 或 .csv 文件", en: "--out should be an .xlsx or .csv file"), .usage)
            }
            let store = try where_.open()
            let records = try store.records(period: period, unit: unit)
            guard !records.isEmpty else {
                let periods = try store.periods()
                throw CommandError(Store.noPeriod(period, unit: unit, has: periods), .usage)
            }
            // Personal data masked as everywhere, unless asked for in full.
            let personalFields = Set(MemberLedgerSchema.schema.fields.filter(\.personal).map(\.name))
            // The standard ledger's columns (every field any record has), then where each record came from.
            let keys = Set(records.flatMap(\.values.keys))
            let standard = MemberLedgerSchema.schema.fields.filter { !$0.whenPresent || keys.contains($0.name) }.map(\.name)
            let extra = Set(records.flatMap(\.values.keys)).subtracting(standard).sorted()
            let columns = standard + extra
            let header = columns + ["来源文件", "来源行"]
            let rows = records.map { r in
                columns.map { c in personalFields.contains(c) ? where_.masking.apply(r.values[c] ?? "") : r.values[c] ?? "" } + [r.file + (r.sheet.map { "[\($0)]" } ?? ""), String(r.row)]
            }
            if out.lowercased().hasSuffix(".xlsx") {
                _ = try OutputSet.commit([try PlainWorkbook.writeXLSX(header: header, rows: rows, sheet: "台账", path: out)])
            } else {
                func cell(_ s: String) -> String { s.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
                let text = "\u{FEFF}" + ([header] + rows).map { $0.map(cell).joined(separator: ",") }.joined(separator: "\n") + "\n"
                let file = try OutputFile(path: out)
                do {
                    try file.write(text)
                    _ = try OutputSet.commit([try file.seal()])
                } catch {
                    file.abort()
                    throw error
                }
            }
            print(common.language == .zh ? "已导出 \(period) 期 \(records.count) 条记录 → \(out)" : "exported \(records.count) records of \(period) → \(out)")
        }
    }
}

/// Who joined, left, moved between units or changed category from one period's records to the next,
/// person by person (the store's person keys: the ID number, else name, birth date and sex).
struct StoreChanges {
    struct Change { var kind: String; var unit: String; var name: String; var detail: String }
    var list: [Change] = []

    init(before: [Store.Record], after: [Store.Record], unit: String?) {
        typealias F = MemberLedgerSchema.Fields
        func byPerson(_ rs: [Store.Record]) -> [String: Store.Record] { Dictionary(rs.map { ($0.person, $0) }, uniquingKeysWith: { a, _ in a }) }
        // Only persons 在册 (or with no 人员状态) are members; one who moved away or died left, and why is said.
        func onRoll(_ r: Store.Record) -> Bool { MemberLedgerSchema.onRoll(r.values[F.status]) }
        let a = byPerson(before.filter(onRoll)), b = byPerson(after.filter(onRoll))
        let offRoll = byPerson(after.filter { !onRoll($0) })
        for (k, r) in b {
            if let was = a[k] {
                if was.unit != r.unit { list.append(Change(kind: "调动", unit: r.unit, name: r.values[F.name] ?? "", detail: "由「\(was.unit)」调入")) }
                if was.values[F.category] != r.values[F.category] {
                    list.append(Change(kind: "类别变化", unit: r.unit, name: r.values[F.name] ?? "", detail: "\(was.values[F.category] ?? "") → \(r.values[F.category] ?? "")"))
                }
            } else {
                list.append(Change(kind: "新增", unit: r.unit, name: r.values[F.name] ?? "", detail: r.values[F.category] ?? ""))
            }
        }
        for (k, r) in a where b[k] == nil {
            let why = offRoll[k].flatMap { o in o.values[F.status].map { "（\($0)" + (o.values[F.statusDate].map { " \($0)" } ?? "") + "）" } } ?? ""
            list.append(Change(kind: "减少", unit: r.unit, name: r.values[F.name] ?? "", detail: (r.values[F.category] ?? "") + why))
        }
        if let unit { list = list.filter { $0.unit == unit || ($0.kind == "调动" && $0.detail.contains("「\(unit)」")) } }
        list.sort { ($0.unit, $0.kind, $0.name) < ($1.unit, $1.kind, $1.name) }
    }

    func count(_ kind: String) -> Int { list.filter { $0.kind == kind }.count }
}
