import Foundation
import PackagePlugin

/// `swift package check-pipelines` — runs `taizhang check` on every pipeline under pipelines/
/// (options, plugin names, input files, output folders), and fails if any is wrong.
@main
struct CheckPipelines: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        let tool = try context.tool(named: "taizhang")
        let folder = context.package.directoryURL.appendingPathComponent("pipelines")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted()
        var failed: [String] = []
        for file in files {
            let p = Process()
            p.executableURL = tool.url
            p.arguments = ["check", folder.appendingPathComponent(file).path] + arguments
            try p.run()
            p.waitUntilExit()
            if p.terminationStatus != 0 { failed.append(file) }
        }
        if !failed.isEmpty {
            Diagnostics.error("pipelines that do not check: \(failed.joined(separator: ", "))")
            throw ExitCode.failure
        }
        print("\(files.count) pipelines checked")
    }
}

struct ExitCode: Error { static let failure = ExitCode() }
