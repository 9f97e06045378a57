import ArgumentParser
import Foundation
import TaizhangBuiltins
import TaizhangCore

/// Every built-in plugin; .xls files are read by this same executable in a child process.
func builtinRegistry() -> Registry {
    Builtins.registry(freeXLHelper: try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
}

/// Options every command shares.
struct Common: ParsableArguments {
    @Option(name: .long, help: "界面语言 zh 或 en（默认取 TAIZHANG_LANG，否则 zh）/ message language")
    var lang: Language?

    var language: Language { lang ?? Language.fromEnvironment(ProcessInfo.processInfo.environment) }
}

/// A command whose messages follow `--lang`.
protocol LanguageChoosing {
    var common: Common { get }
}

extension Language: ExpressibleByArgument {}

extension ExitStatus {
    /// Ends a command that finished its work with this status (0 returns normally).
    func end() throws {
        if self != .done { throw ExitCode(rawValue) }
    }
}

/// Prints to standard error.
func printError(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}

/// Ctrl-C, SIGTERM, SIGHUP (a closed terminal or SSH session) or SIGQUIT: remove temporary outputs — after
/// the phase that puts outputs in place, if one is under way — so nothing half-written is left.
final class Interrupts: @unchecked Sendable {
    // Kept alive for the life of the process; never changed after start-up.
    private let sources: [any DispatchSourceSignal]
    private static let shared = Interrupts()

    private init() { sources = [SIGINT, SIGTERM, SIGHUP, SIGQUIT].map { sig in
        signal(sig, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
        source.setEventHandler {
            TemporaryFiles.shared.removeAllAndExit(ExitStatus.interrupted.rawValue,
                                                    saying: "\n已中断：未写出任何不完整的文件 / interrupted: no partial output left")
        }
        source.resume()
        return source
    } }

    static func install() { _ = shared }
}

/// Parses `--set k=v` values.
func parseSets(_ sets: [String]) throws -> [String: String] {
    var vars: [String: String] = [:]
    for s in sets {
        guard let eq = s.firstIndex(of: "="), eq != s.startIndex else {
            throw CommandError(Message(zh: "--set 应写成 名称=值，这里是「\(s)」", en: "--set takes NAME=VALUE, got '\(s)'"), .usage)
        }
        vars[String(s[..<eq])] = String(s[s.index(after: eq)...])
    }
    return vars
}

/// Loads and checks a pipeline file; its diagnostics are the error.
func loadPipeline(_ path: String, sets: [String], registry: Registry) throws -> Pipeline {
    try PipelineLoader(registry: registry).load(file: path, variables: try parseSets(sets))
}

/// The loader's warnings (an output folder to be created …), each on its own line.
func notesText(_ p: Pipeline, _ lang: Language) -> String? {
    p.notes.isEmpty ? nil : p.notes.map { $0.text(lang) }.joined(separator: "\n")
}

/// How a command that runs a pipeline reports: issues and the summary for a person (the default),
/// the verdict line alone (`-q`), or one JSON object for a script (`--json`).
struct Reporting: ParsableArguments {
    @Flag(name: [.customShort("q"), .long], help: "只打印结论一行 / print only the verdict line")
    var quiet = false

    @Flag(help: "在标准输出打印一个 JSON 摘要（供脚本使用）/ print a JSON summary on standard output, for scripts")
    var json = false
}

/// Runs a pipeline and prints issues and the summary (to standard error when an output goes to
/// standard output); returns how the command ends.
func execute(_ pipeline: Pipeline, registry: Registry, options: RunOptions, show: Int, failOn: Severity?, reporting: Reporting = Reporting()) throws -> ExitStatus {
    let lang = options.language
    if let notes = notesText(pipeline, lang), !reporting.json { printError(notes) }
    var options = options
    options.pathsFromWorkingDirectory = true
    if reporting.json || reporting.quiet { options.showProgress = false }
    let result = try Runner(pipeline: pipeline, registry: registry, options: options).run()
    let failed = failOn.map { f in Severity.allCases.contains(where: { $0 >= f && result.summary.count($0) > 0 }) } ?? false
    let status: ExitStatus = failed ? .dataErrors : .done
    let toStdout = pipeline.outputs.contains { AtomicOutput.namesStandardOutput($0.options.path("path") ?? "") }
    func say(_ s: String) { if toStdout { printError(s) } else { print(s) } }
    if reporting.json {
        say(jsonSummary(result.summary, status: status, lang: lang))
        return status
    }
    if reporting.quiet {
        say(result.summary.verdict(lang))
        return status
    }
    let masking = options.masking ?? pipeline.masking
    // In file order, then by row: the order a clerk works through a file.
    var fileOrder: [String: Int] = [:]
    for i in result.issues where fileOrder[i.origin.file] == nil { fileOrder[i.origin.file] = fileOrder.count }
    // An issue about a whole file or the whole run (a missing previous ledger, a community that sent
    // nothing) is always shown; `--show` limits the issues of rows.
    var rowsShown = 0
    let shown = result.issues.filter { $0.severity >= .warning }
        .enumerated().sorted { a, b in
            let ka = (fileOrder[a.element.origin.file]!, a.element.origin.row ?? 0, a.offset)
            let kb = (fileOrder[b.element.origin.file]!, b.element.origin.row ?? 0, b.offset)
            return ka < kb
        }.map(\.element).filter { i in
            guard i.origin.row != nil else { return true }
            rowsShown += 1
            return rowsShown <= show
        }
    for issue in shown { say(issue.line(lang, masking: masking)) }
    let total = result.summary.count(.error) + result.summary.count(.warning)
    if total > shown.count {
        say(lang == .zh ? "……另有 \(total - shown.count) 个问题未显示（完整列表见报告输出，或用 --show 调整）"
                        : "… \(total - shown.count) more issues not shown (see the report output, or use --show)")
    }
    if !shown.isEmpty { say("") }
    say(result.summary.table(lang, issueTypes: registry.issueTypes))
    return status
}

/// The run's figures as one JSON object (keys sorted), for scripts: no personal data in it.
func jsonSummary(_ s: RunSummary, status: ExitStatus, lang: Language) -> String {
    var issues: [String: [String: Int]] = [:]
    for (code, by) in s.issueCounts { issues[code] = Dictionary(uniqueKeysWithValues: by.map { ($0.key.rawValue, $0.value) }) }
    let object: [String: Any] = [
        "passed": s.count(.error) == 0 && s.quarantined == 0,
        "exit_status": Int(status.rawValue),
        "verdict": s.verdict(lang),
        "read": s.read, "accepted": s.accepted, "quarantined": s.quarantined, "skipped": s.skipped,
        "balanced": s.balanced,
        "errors": s.count(.error), "warnings": s.count(.warning),
        "issues": issues,
        "outputs": s.outputs, "kept_previous": s.keptPrevious,
    ]
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self)
}
