import ArgumentParser
import Foundation
import TaizhangCore
import TaizhangReaders

/// The command line: one file per command under Commands/, shared helpers under Support/.
/// Every error a command throws is a ``TaizhangError``; `main()` prints it and exits with its status.
@main
struct Taizhang: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "taizhang",
        abstract: "台账：统战对象台账的导入、校验与导出流水线 (import, validate and export member ledgers)",
        discussion: """
        退出码 exit codes: 0 完成 done; 1 发现数据错误 data errors found (validate, run unless fail_on: never); \
        2 流水线或命令行有误 pipeline or command line wrong; 3 输入或输出无法读写 input/output unreadable or unwritable.
        """,
        version: "0.2.0",
        subcommands: [Run.self, Check.self, Validate.self, Merge.self, Init.self, Template.self, Profile.self, Forms.self, StoreCommand.self, Plugins.self])

    static func main() {
        // This executable is also its own FreeXL child (Plugins/Readers/Support/FreeXLIsolation.swift).
        if let status = XLSReaderPlugin.childMain(Array(CommandLine.arguments.dropFirst())) { Foundation.exit(status) }
        // The allocator: one arena for the run's three threads (reader, steps, writers), and every
        // block of 256 KB or more mapped on its own and given back when freed (glibc otherwise
        // raises that bar as big blocks are freed and keeps their memory): a million-row run's
        // peak is the data it holds, not a hundred megabytes of freed space (docs/PERFORMANCE.md).
        _ = mallopt(-8, 1)           // M_ARENA_MAX (malloc.h, which Swift's Glibc module leaves out)
        _ = mallopt(-3, 256 << 10)   // M_MMAP_THRESHOLD
        // A program that closes its end of a pipe (an exec plugin) must give us an error, not SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        // A folder of a thousand ledgers is opened at once (each a source): the soft limit on open
        // files (often 1024) is raised to what the system allows.
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        var language = Language.fromEnvironment(ProcessInfo.processInfo.environment)
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let i = arguments.firstIndex(of: "--lang"), i + 1 < arguments.count, let l = Language(rawValue: arguments[i + 1]) { language = l }
        do {
            try checkSubcommand(arguments)
            var command = try parseAsRoot()
            if let c = command as? any LanguageChoosing { language = c.common.language }
            try command.run()
        } catch let e as any TaizhangError {
            printError(e.text(language))
            Foundation.exit(e.exitStatus.rawValue)
        } catch let e as ExitCode {
            Foundation.exit(e.rawValue)
        } catch {
            end(error, language)
        }
    }

    /// The command line's own mistakes (argument-parser's) exit 2 as the README says, with a hint;
    /// --help and --version print and exit 0; anything else is a bug of ours (70), never 1.
    static func end(_ error: any Error, _ language: Language) -> Never {
        let code = exitCode(for: error)
        if code == .success { exit(withError: error) }
        if code == .validationFailure {
            printError((language == .zh ? "命令行有误：" + chinese(message(for: error)) : "command line: " + fullMessage(for: error))
                       + (language == .zh ? "\n（用 taizhang help 或 taizhang 命令 --help 查看用法）" : "\n(see taizhang help, or taizhang COMMAND --help)"))
            Foundation.exit(ExitStatus.usage.rawValue)
        }
        printError(error.asTaizhangError.text(language))
        Foundation.exit(ExitStatus.internalError.rawValue)
    }

    /// The argument parser's usual complaints, said in Chinese (anything else as it is).
    static func chinese(_ message: String) -> String {
        func match(_ pattern: String) -> [String]? {
            guard let re = try? NSRegularExpression(pattern: pattern),
                  let m = re.firstMatch(in: message, range: NSRange(message.startIndex..., in: message)) else { return nil }
            return (1..<m.numberOfRanges).map { Range(m.range(at: $0), in: message).map { String(message[$0]) } ?? "" }
        }
        if let g = match(#"Unknown option '([^']+)'\. Did you mean '([^']+)'\?"#) { return "没有选项 \(g[0])（是不是 \(g[1])？）" }
        if let g = match(#"Unknown option '([^']+)'"#) { return "没有选项 \(g[0])" }
        if let g = match(#"Missing value for '([^']+)'"#) { return "选项 \(g[0]) 后面缺少值" }
        if let g = match(#"Missing expected argument '([^']+)'"#) { return "缺少参数 \(g[0])" }
        if let g = match(#"The value '([^']*)' is invalid for '([^']+)'"#) { return "「\(g[0])」不是 \(g[1]) 可用的值" }
        if let g = match(#"Unexpected argument '([^']+)'"#) { return "多余的参数「\(g[0])」" }
        return message
    }

    /// `taizhang rnu …`: the first word names no command — say which one was meant.
    static func checkSubcommand(_ arguments: [String]) throws {
        guard let first = arguments.first, !first.hasPrefix("-") else { return }
        let names = configuration.subcommands.map { $0._commandName } + ["help"]
        guard !names.contains(first) else { return }
        throw CommandError(Message(zh: "没有「\(first)」这个命令（有：\(names.joined(separator: "、"))）", en: "there is no command '\(first)' (there are: \(names.joined(separator: ", ")))"),
                           .usage, suggestion: Suggest.didYouMean(first, names))
    }
}

/// glibc's `int mallopt(int param, int value)`.
@_silgen_name("mallopt") private func mallopt(_ param: Int32, _ value: Int32) -> Int32
