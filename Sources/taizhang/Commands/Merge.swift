import ArgumentParser
import Foundation
import TaizhangCore
import TaizhangWriters
import TaizhangMemberLedger

/// `taizhang merge`: adds up lower units' returns into the higher unit's. Refuses, writing nothing,
/// returns that do not fit together and outputs that would overwrite an input or each other.
struct Merge: ParsableCommand, LanguageChoosing {
    static let configuration = CommandConfiguration(
        abstract: "把下级单位的报表（json-return）汇总为上级报表 / roll lower units' returns up into the higher unit's",
        discussion: "报告期不同、表式不同或同一单位出现在两份报表中时报错并退出 1，不写出任何文件。")

    @Argument(help: "下级单位的报表 JSON（json-return 写出）/ lower units' return JSON files")
    var returns: [String]

    @Option(help: "汇总报表 JSON 的输出路径 / output JSON")
    var out: String

    @Option(help: "同时写出汇总报表 XLSX / also write the form as XLSX")
    var xlsx: String?

    @Option(help: "上级填报单位名称 / the higher unit's name")
    var unit: String?

    @Option(help: "单位名单（CSV/XLSX/YAML：名称、代码、别名、上级）：列出没有报表的下级单位 / list of units: name the lower units that sent no return")
    var units: String?

    @Option(help: "单位负责人 / head of the unit")
    var head: String = ""

    @Option(help: "统计负责人 / person responsible for statistics")
    var statistician: String = ""

    @Option(help: "填表人 / person who filled in the form")
    var preparer: String = ""

    @Option(help: "联系电话 / contact phone")
    var phone: String = ""

    @Option(name: .customLong("report-date"), help: "报出日期（默认今天）/ date reported (default today)")
    var reportDate: String?

    @OptionGroup var common: Common

    func run() throws {
        Interrupts.install()
        let lang = common.language
        try checkOutputs()
        var inputs: [(file: String, doc: ReturnDocument)] = []
        for f in returns {
            guard let data = FileManager.default.contents(atPath: f) else {
                throw CommandError(FileManager.default.fileExists(atPath: f) ? Message(zh: "无法读取 \(f)（权限不足？）", en: "cannot read \(f) (permission?)")
                                                                             : Message(zh: "文件不存在：\(f)", en: "no such file: \(f)"), .io)
            }
            let doc: ReturnDocument
            do { doc = try JSONDecoder().decode(ReturnDocument.self, from: data) } catch {
                // Say where it fails: a missing or mistyped field is an edited or damaged return.
                var at: Message?
                if let e = error as? DecodingError {
                    func path(_ c: [any CodingKey]) -> String { c.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined() }
                    switch e {
                    case .keyNotFound(let key, let ctx) where ctx.codingPath.isEmpty && key.stringValue == "format": at = nil   // not a return at all
                    case .keyNotFound(let key, let ctx): at = Message(zh: "缺少字段 \(path(ctx.codingPath + [key]))", en: "field \(path(ctx.codingPath + [key])) is missing")
                    case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx): at = Message(zh: "字段 \(path(ctx.codingPath)) 的类型不对", en: "field \(path(ctx.codingPath)) has the wrong type")
                    case .dataCorrupted(let ctx): at = ctx.codingPath.isEmpty ? Message(zh: "不是有效的 JSON", en: "not valid JSON") : Message(zh: "字段 \(path(ctx.codingPath)) 的值无效", en: "field \(path(ctx.codingPath)) is not valid")
                    @unknown default: at = nil
                    }
                }
                throw CommandError(Message(zh: "\(f) 不是 json-return 写出的报表\(at.map { "（\($0.zh)）" } ?? "")（merge 只汇总 write: json-return 的输出，格式 taizhang-return/1）",
                                           en: "\(f) is not a return written by json-return\(at.map { " (\($0.en))" } ?? "") (merge adds up only the output of write: json-return, format taizhang-return/1)"), .usage)
            }
            inputs.append((f, doc))
        }
        let (result, problems) = ReturnDocument.merge(inputs, unit: unit)
        guard var merged = result else {
            for p in problems { printError((lang == .zh ? "错误：" : "error: ") + p.message.text(lang)) }
            printError(lang == .zh ? "未汇总，未写出文件。" : "not merged; nothing written.")
            throw ExitCode(ExitStatus.dataErrors.rawValue)
        }
        // Which of the units on the list sent nothing, and which returns come from units not on it.
        var missingUnits: [String] = []
        if let units {
            let list: Units
            do { list = try Units.load(path: units, display: units, registry: builtinRegistry(), language: lang) } catch {
                throw CommandError(Message(zh: "无法读取单位名单 \(units)：\(error.message.zh)", en: "cannot read the list of units \(units): \(error.message.en)"), .io)
            }
            // The units a list names may be the returns' own units (streets, for a county) or the ones
            // they cover (社区, the last part of 街道/社区).
            let lowest = merged.unitsCovered.map { String($0.split(separator: "/").last ?? "") }
            let covered = Set((inputs.map(\.doc.unit) + lowest).map { list.official($0) ?? $0 })
            missingUnits = list.under(unit ?? "").map(\.name).filter { !covered.contains($0) }
            let unknown = lowest.filter { list.official($0) == nil }
            if !missingUnits.isEmpty {
                merged.notes = (merged.notes ?? []) + ["单位名单中以下单位没有报表，未计入本表：" + missingUnits.prefix(50).joined(separator: "、") + (missingUnits.count > 50 ? " 等 \(missingUnits.count) 个" : "") + "。"]
            }
            for u in unknown { printError(lang == .zh ? "警告：「\(u)」不在单位名单 \(units) 中" : "warning: '\(u)' is not in the list of units \(units)") }
        }
        // The higher unit signs its own form: the lower units' names are not carried up.
        let today = Calendar(identifier: .gregorian).dateComponents(in: TimeZone.current, from: Date())
        merged.footer = ["单位负责人：\(head)", "统计负责人：\(statistician)", "填表人：\(preparer)", "联系电话：\(phone)",
                         "报出日期：\(reportDate ?? "\(today.year!)年\(today.month!)月\(today.day!)日")"]
        var outputs: [AtomicOutput] = []
        do {
            let file = try OutputFile(path: out)
            outputs.append(file.output)
            try file.write(Array(try merged.json()))
            try file.write("\n")
            _ = try file.seal()
            if let xlsx { outputs.append(try ReturnForms.writeXLSX(merged.tables, path: xlsx)) }
            let placed = try OutputSet.commit(outputs)
            // The headline figure: the total row's first column (人数, 统战成员 … whatever the form calls it).
            let firstColumn = merged.columns.min { $0.number < $1.number }?.key ?? "total"
            let total = (merged.rows.first { $0.key == "total" } ?? merged.rows.first)?.counts[firstColumn].flatMap { $0 } ?? 0
            let toStdout = placed.contains { AtomicOutput.namesStandardOutput($0.path) }
            func say(_ s: String) { if toStdout { printError(s) } else { print(s) } }
            let leftOut = merged.run["quarantined"] ?? 0
            say(lang == .zh ? "已汇总 \(inputs.count) 份报表（\(merged.periodLabel)）：\(merged.unitsCovered.joined(separator: "、"))，合计 \(total) 人\(leftOut > 0 ? "（各单位另有 \(leftOut) 条记录有错误，未计入）" : "") → \(out)\(xlsx.map { "，\($0)" } ?? "")"
                            : "merged \(inputs.count) returns (\(merged.periodLabel)): \(total) people → \(out)\(xlsx.map { ", \($0)" } ?? "")")
            // Who was listed by two units (counted once), or why that could not be checked.
            if let overlaps = merged.overlaps {
                say(lang == .zh ? "单位之间的重复人员：\(overlaps.count) 人（合计与各类别中每人只计一次）" : "people listed by more than one unit: \(overlaps.count) (each counted once)")
                for o in overlaps {
                    let how = o.by == "id" ? (lang == .zh ? "身份证号相同" : "same ID number") : (lang == .zh ? "姓名、出生日期、性别相同" : "same name, birth date and sex")
                    say("  \(o.units.joined(separator: " ↔ "))：\(o.at.joined(separator: " ↔ "))（\(how)）")
                }
            } else {
                let files = ReturnDocument.unkeyed(inputs)
                printError(lang == .zh ? "警告：\(files.joined(separator: "、")) 没有人员指纹（生成时未设密钥），无法核对单位之间的重复人员：同一人若在两个单位登记，会被计两次"
                                       : "warning: \(files.joined(separator: ", ")) carry no person fingerprints (made without a key): people listed by two units could not be checked and would count twice")
            }
            let kept = placed.compactMap(\.keptPrevious)
            if !kept.isEmpty { say(lang == .zh ? "被覆盖的旧文件已保留为：\(kept.joined(separator: "，"))" : "previous versions kept as: \(kept.joined(separator: ", "))") }
            if !missingUnits.isEmpty {
                say(lang == .zh ? "没有报表的单位（名单中有，未计入）：\(missingUnits.joined(separator: "、"))" : "units on the list with no return (not counted): \(missingUnits.joined(separator: ", "))")
            }
            // Safe by default: a street's return that leaves people out does not end 0.
            if !missingUnits.isEmpty && leftOut == 0 {
                say(lang == .zh ? "结论：未通过 — \(missingUnits.count) 个单位没有报表" : "verdict: not passed — \(missingUnits.count) units sent no return")
                throw ExitCode(ExitStatus.dataErrors.rawValue)
            }
            if leftOut > 0 {
                say(lang == .zh ? "结论：未通过 — 各单位共有 \(leftOut) 条记录有错误，未计入汇总（见表下说明；改正后重新生成各单位报表）"
                                : "verdict: not passed — the units left out \(leftOut) records with errors (see the notes under the table)")
                throw ExitCode(ExitStatus.dataErrors.rawValue)
            }
            say(lang == .zh ? "结论：通过（各单位的记录全部计入）" : "verdict: passed (every unit's records counted)")
        } catch let exit as ExitCode {
            throw exit
        } catch {
            outputs.forEach { $0.abort() }
            throw error
        }
    }

    /// Every output against every input and against each other, before anything is read.
    func checkOutputs() throws {
        var outs: [(flag: String, path: String)] = [("--out", out)]
        if let xlsx { outs.append(("--xlsx", xlsx)) }
        for o in outs {
            for (k, r) in returns.enumerated() where FileIdentity.same(o.path, r) {
                throw CommandError(Message(zh: "\(o.flag) \(o.path) 会覆盖第 \(k + 1) 个输入报表 \(r)", en: "\(o.flag) \(o.path) would overwrite input return #\(k + 1), \(r)"), .usage,
                                   suggestion: Message(zh: "换一个输出路径", en: "choose another output path"))
            }
            let folder = URL(fileURLWithPath: o.path).deletingLastPathComponent().path
            if o.path != "-", !FileManager.default.fileExists(atPath: folder.isEmpty ? "." : folder) {
                throw CommandError(Message(zh: "输出文件夹不存在：\(folder)", en: "output folder does not exist: \(folder)"), .io,
                                   suggestion: Message(zh: "先创建它：mkdir -p \(folder)", en: "create it first: mkdir -p \(folder)"))
            }
        }
        if outs.count == 2, FileIdentity.same(outs[0].path, outs[1].path) {
            throw CommandError(Message(zh: "--out 与 --xlsx 是同一个文件 \(out)", en: "--out and --xlsx name the same file \(out)"), .usage)
        }
    }
}
