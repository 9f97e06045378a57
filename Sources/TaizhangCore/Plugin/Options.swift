import Foundation

/// A plugin's options after checking: every value has the declared type, defaults filled in,
/// paths resolved against the pipeline's folder. Plugins read them with typed accessors.
public struct Options: Sendable {
    public private(set) var values: [String: ConfigNode] = [:]
    private var defaults: [String: String] = [:]
    /// The folder relative paths are resolved against.
    public var baseDirectory: String
    /// Where the plugin was named in the pipeline file (for errors raised later).
    public var position: Position?

    public init(values: [String: ConfigNode] = [:], spec: PluginSpec? = nil, baseDirectory: String, position: Position? = nil) {
        self.values = values
        self.baseDirectory = baseDirectory
        self.position = position
        for o in spec?.options ?? [] { if let d = o.defaultValue { defaults[o.name] = d } }
    }

    /// Builds options from plain strings (for the CLI and tests).
    public static func strings(_ map: [String: String], spec: PluginSpec? = nil, baseDirectory: String = ".") -> Options {
        var v: [String: ConfigNode] = [:]
        for (k, s) in map { v[k] = ConfigNode(value: .scalar(s, quoted: true), position: Position(file: "<command line>", line: 1, column: 1)) }
        return Options(values: v, spec: spec, baseDirectory: baseDirectory)
    }

    /// Options written as in a pipeline (a YAML mapping), for tests and tools.
    public static func yaml(_ text: String, spec: PluginSpec? = nil, baseDirectory: String = ".") throws(Diagnostics) -> Options {
        let node = try ConfigNode.parse(text, file: "<options>")
        var v: [String: ConfigNode] = [:]
        for p in node.pairs ?? [] { v[p.key] = p.value }
        return Options(values: v, spec: spec, baseDirectory: baseDirectory)
    }

    public func has(_ name: String) -> Bool { values[name] != nil }

    /// A copy with one option set (e.g. `sheet` when `sheet: all` is expanded).
    public func setting(_ name: String, to value: String) -> Options {
        var o = self
        o.values[name] = ConfigNode(value: .scalar(value, quoted: true), position: values[name]?.position ?? position ?? Position(file: "", line: 1, column: 1))
        return o
    }

    public func string(_ name: String) -> String? { values[name]?.scalar ?? defaults[name] }

    public func int(_ name: String) -> Int? { string(name).flatMap { Int($0) } }

    public func bool(_ name: String) -> Bool {
        guard let s = string(name)?.lowercased() else { return false }
        return s == "true" || s == "yes" || s == "1"
    }

    public func strings(_ name: String) -> [String] {
        if let items = values[name]?.items { return items.compactMap(\.scalar) }
        // A list's default is written as a flow list: `[姓名, 出生日期, 性别]`.
        if values[name] == nil, let d = defaults[name], d.hasPrefix("["), d.hasSuffix("]") {
            return d.dropFirst().dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        if let s = string(name), !s.isEmpty { return [s] }
        return []
    }

    public func node(_ name: String) -> ConfigNode? { values[name] }

    /// A path option resolved against the pipeline's folder.
    public func path(_ name: String) -> String? {
        guard let p = string(name), !p.isEmpty else { return nil }
        return Options.resolve(p, against: baseDirectory)
    }

    /// The position of an option's value, or of the plugin if it was not given.
    public func position(of name: String) -> Position? { values[name]?.position ?? position }

    /// A resolved path as a user at the command line can use it: relative to the current folder
    /// when it lies inside it, else absolute (a pipeline elsewhere names its files relative to
    /// itself, which the user's shell cannot follow).
    public static func display(_ resolved: String) -> String {
        guard resolved.hasPrefix("/") else { return resolved }
        let cwd = FileManager.default.currentDirectoryPath
        let base = cwd.hasSuffix("/") ? cwd : cwd + "/"
        return resolved.hasPrefix(base) ? String(resolved.dropFirst(base.count)) : resolved
    }

    /// A path relative to `base`; `-` (standard output) stays as it is.
    public static func resolve(_ path: String, against base: String) -> String {
        if path.hasPrefix("/") || path == "-" { return path }
        return URL(fileURLWithPath: base).appendingPathComponent(path).standardizedFileURL.path
    }
}
