import Foundation
import TaizhangCore

/// A running outside program and the JSON Lines conversation with it. Started without a shell;
/// standard output is read on a thread of its own so a program that writes while it reads never
/// blocks us; standard error goes to ours, prefixed with the program's name.
final class ExecProgram: @unchecked Sendable {
    let name: String
    private let process: Process
    private let input: FileHandle
    private let lock = NSCondition()
    /// Messages are written in the order sent, one after the other (a pipe write over 4 KB is not atomic).
    private let writer = DispatchQueue(label: "taizhang.exec.stdin")
    private var lines: [String] = []
    private var buffer = Data()
    private var closed = false

    typealias Failure = StepFailure

    private init(name: String, process: Process, input: FileHandle) {
        self.name = name
        self.process = process
        self.input = input
    }

    /// Resolves `command` (relative to the pipeline's folder, or on PATH) and starts it there.
    static func start(options: Options, kind: String) throws(Diagnostics) -> ExecProgram {
        let command = options.strings("command")
        let at = options.position(of: "command")
        guard let first = command.first, !first.isEmpty else {
            throw Diagnostics([Diagnostic(.error, at: at, Message(zh: "command 不能为空", en: "command is empty"))])
        }
        guard let path = resolve(first, base: options.baseDirectory) else {
            throw Diagnostics([Diagnostic(.error, at: at, Message(zh: "找不到程序「\(first)」（相对于流水线文件夹，或在 PATH 中）", en: "program '\(first)' not found (relative to the pipeline's folder, or on PATH)"), isIO: true)])
        }
        var args = Array(command.dropFirst())
        // Script arguments that name files next to the pipeline are resolved like every other path.
        args = args.map { a in
            let p = Options.resolve(a, against: options.baseDirectory)
            return !a.hasPrefix("-") && FileManager.default.fileExists(atPath: p) ? p : a
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: options.baseDirectory)
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        p.standardInput = stdin
        p.standardOutput = stdout
        p.standardError = stderr
        // Name it by its script when the program is an interpreter (python3 plugins/x.py → x.py).
        let interpreters: Set<String> = ["python", "python3", "sh", "bash", "node", "perl", "ruby", "Rscript", "php"]
        let base = URL(fileURLWithPath: path).lastPathComponent
        let name = interpreters.contains(base) ? URL(fileURLWithPath: args.first(where: { !$0.hasPrefix("-") }) ?? path).lastPathComponent : base
        let program = ExecProgram(name: name, process: p, input: stdin.fileHandleForWriting)
        do { try p.run() } catch {
            throw Diagnostics([Diagnostic(.error, at: at, Message(zh: "无法启动程序 \(path)：\(error.localizedDescription)", en: "cannot start \(path): \(error.localizedDescription)"), isIO: true)])
        }
        // End of the conversation is the end of the program's output (not its exit, which can
        // be noticed before its last lines are read). Each pipe is read on a thread of its own,
        // blocking to its end: Foundation's `readabilityHandler` leaves a dispatch source on the
        // pipe, and libdispatch's event loop crashed on one under load (a CI run, Signal 11 in
        // _dispatch_event_loop_drain).
        let out = stdout.fileHandleForReading, err = stderr.fileHandleForReading
        Thread.detachNewThread { [weak program] in
            while true {
                let d = out.availableData
                program?.received(d)
                if d.isEmpty { return }
            }
        }
        Thread.detachNewThread {
            while true {
                let d = err.availableData
                if d.isEmpty { return }
                for line in String(decoding: d, as: UTF8.self).split(separator: "\n") {
                    FileHandle.standardError.write(Data("[\(name)] \(line)\n".utf8))
                }
            }
        }
        return program
    }

    static func resolve(_ program: String, base: String) -> String? {
        if program.contains("/") {
            let p = Options.resolve(program, against: base)
            return FileManager.default.isExecutableFile(atPath: p) ? p : nil
        }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let p = "\(dir)/\(program)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    /// Bytes from the program's standard output (empty: it closed or exited).
    private func received(_ d: Data) {
        lock.lock()
        if d.isEmpty { closed = true } else {
            buffer.append(d)
            while let nl = buffer.firstIndex(of: 0x0A) {
                lines.append(String(decoding: buffer[buffer.startIndex..<nl], as: UTF8.self))
                buffer.removeSubrange(buffer.startIndex...nl)
            }
        }
        lock.broadcast()
        lock.unlock()
    }

    /// Writes messages, one JSON object per line, on a thread of their own (the program may
    /// answer while we are still writing).
    func send(_ messages: [[String: Any]]) throws(Failure) {
        var data = Data()
        for m in messages {
            guard let line = try? JSONSerialization.data(withJSONObject: m, options: [.sortedKeys, .withoutEscapingSlashes]) else { continue }
            data.append(line)
            data.append(0x0A)
        }
        let input = self.input
        let payload = data
        writer.async {
            do { try input.write(contentsOf: payload) } catch {}
        }
        // A program that has exited is found out by `receive`, which first reads what it wrote.
    }

    /// The `timeout:` of an exec plugin, in seconds: at least one, at most a year (a deadline
    /// further off is past what the clock can wait for).
    static func timeout(_ options: Options) -> Double {
        Double(min(max(1, options.int("timeout") ?? 60), 365 * 24 * 3600))
    }

    /// The next message from the program, waiting at most `timeout` seconds.
    func receive(timeout: Double) throws(Failure) -> [String: Any] {
        lock.lock()
        let deadline = Date().addingTimeInterval(timeout)
        while lines.isEmpty && !closed {
            if !lock.wait(until: deadline) { break }
        }
        guard !lines.isEmpty else {
            let exited = closed
            lock.unlock()
            // Its output closed does not mean it has exited (it may have closed only stdout):
            // give it a moment, then stop it; only then is there a status to read.
            let status = exited ? exitStatus(within: 2) : nil
            stop()
            throw Failure(exited
                ? (status.map { Message(zh: "外部程序 \(name) 没有完成协议就退出了（状态 \($0)）", en: "the program \(name) exited before finishing the protocol (status \($0))") }
                   ?? Message(zh: "外部程序 \(name) 没有完成协议就关闭了输出，已终止", en: "the program \(name) closed its output before finishing the protocol and was stopped"))
                : Message(zh: "外部程序 \(name) 在 \(Int(timeout)) 秒内没有回应，已终止", en: "the program \(name) did not answer within \(Int(timeout)) s and was stopped"))
        }
        let line = lines.removeFirst()
        lock.unlock()
        guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            stop()
            throw Failure(Message(zh: "外部程序 \(name) 输出了不是 JSON 对象的一行：\(line.prefix(80))", en: "the program \(name) wrote a line that is not a JSON object: \(line.prefix(80))"))
        }
        return obj
    }

    /// The program's exit status once it has exited, waiting at most `seconds`; nil if it has not.
    func exitStatus(within seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        return process.isRunning ? nil : process.terminationStatus
    }

    func protocolError(_ m: [String: Any], _ zh: String, _ en: String) -> Failure {
        stop()
        let text = (try? JSONSerialization.data(withJSONObject: m)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return Failure(Message(zh: "外部程序 \(name) 违反协议（\(zh)）：\(text.prefix(80))", en: "the program \(name) broke the protocol (\(en)): \(text.prefix(80))"))
    }

    /// Ends the conversation: asks for `done`, then makes sure the program is gone.
    func finish(timeout: Double) throws(Failure) {
        try send([["type": "end"]])
        while true {
            let m = try receive(timeout: timeout)
            if m["type"] as? String == "done" { break }
        }
        try? input.close()
        stop()
    }

    func stop() {
        try? input.close()
        guard process.isRunning else { return }
        process.terminate()
        // Signals the CLI ignores stay ignored in a child: a program that ignores SIGTERM is killed.
        let pid = process.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + 2) { [process] in if process.isRunning { kill(pid, SIGKILL) } }
    }

    /// The schema as the `hello` message carries it.
    static func schema(_ s: Schema) -> [String: Any] {
        ["name": s.name, "fields": s.fields.map { ["name": $0.name, "type": $0.type.rawValue, "required": $0.required, "personal": $0.personal] as [String: Any] }]
    }

    /// A configuration value as plain JSON values.
    static func plain(_ n: ConfigNode) -> Any {
        switch n.value {
        case .scalar(let s, _): return s
        case .sequence(let items): return items.map(plain)
        case .mapping(let pairs): return Dictionary(pairs.map { ($0.key, plain($0.value)) }, uniquingKeysWith: { a, _ in a })
        }
    }
}
