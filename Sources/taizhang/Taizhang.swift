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
        退出码 exit codes: 0 完成 done; 1 发现数据错误 data errors found (validate, or fail_on); \
        2 流水线或命令行有误 pipeline or command line wrong; 3 输入或输出无法读写 input/output unreadable or unwritable.
        """,
        version: "0.2.0",
        subcommands: [Run.self, Check.self, Validate.self, Merge.self, Init.self, Plugins.self])

    static func main() {
        // This executable is also its own FreeXL child (Plugins/Readers/Support/FreeXLIsolation.swift).
        if let status = XLSReaderPlugin.childMain(Array(CommandLine.arguments.dropFirst())) { Foundation.exit(status) }
        // A program that closes its end of a pipe (an exec plugin) must give us an error, not SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        var language = Language.fromEnvironment(ProcessInfo.processInfo.environment)
        do {
            var command = try parseAsRoot()
            if let c = command as? any LanguageChoosing { language = c.common.language }
            try command.run()
        } catch let e as any TaizhangError {
            printError(e.text(language))
            Foundation.exit(e.exitStatus.rawValue)
        } catch {
            exit(withError: error)
        }
    }
}
