import Foundation
import Yams

/// A position in a pipeline or schema file (1-based line and column).
public struct Position: Sendable, Hashable, Codable {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }
}

/// A YAML/JSON value that remembers where it was written, so every configuration error can
/// point at its line and column. Built from Yams' node tree; JSON files are read the same way.
public struct ConfigNode: Sendable {
    public indirect enum Value: Sendable {
        case scalar(String, quoted: Bool)
        case sequence([ConfigNode])
        case mapping([(key: String, keyPosition: Position, value: ConfigNode)])
    }

    public var value: Value
    public var position: Position

    public init(value: Value, position: Position) {
        self.value = value
        self.position = position
    }

    /// Parses YAML (or JSON) text. Syntax errors come back as positioned diagnostics.
    public static func parse(_ text: String, file: String) throws(Diagnostics) -> ConfigNode {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Diagnostics([ConfigNode.diagnostic(for: error, file: file)])
        } catch {
            throw Diagnostics([Diagnostic(.error, at: Position(file: file, line: 1, column: 1),
                                          Message(zh: "无法解析：\(error)", en: "cannot parse: \(error)"))])
        }
        guard let node else {
            return ConfigNode(value: .mapping([]), position: Position(file: file, line: 1, column: 1))
        }
        var budget = maxNodes
        return try convert(node, file: file, budget: &budget)
    }

    /// The most nodes a YAML file may hold once its aliases are expanded: a pipeline has hundreds;
    /// a few lines of nested aliases ("billion laughs") expand to billions.
    public static let maxNodes = 100_000

    private static func convert(_ node: Node, file: String, budget: inout Int) throws(Diagnostics) -> ConfigNode {
        let pos = Position(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        budget -= 1
        if budget < 0 {
            throw Diagnostics([Diagnostic(.error, at: pos, Message(
                zh: "YAML 超过 \(maxNodes) 个节点（别名展开后计），拒绝读取", en: "the YAML holds more than \(maxNodes) nodes (aliases expanded); refused"),
                suggestion: Message(zh: "配置文件不应这样大：拆小，或不要用 & 和 * 别名层层引用", en: "a configuration file should not be this large: split it, or do not nest & anchors and * aliases"))])
        }
        switch node {
        case .scalar(let s):
            let quoted = s.style == .singleQuoted || s.style == .doubleQuoted
            let isNull = !quoted && ["~", "null", "Null", "NULL", ""].contains(s.string)
            return ConfigNode(value: .scalar(isNull ? "" : s.string, quoted: quoted), position: pos)
        case .sequence(let seq):
            var items: [ConfigNode] = []
            for n in seq { items.append(try convert(n, file: file, budget: &budget)) }
            return ConfigNode(value: .sequence(items), position: pos)
        case .mapping(let map):
            var pairs: [(key: String, keyPosition: Position, value: ConfigNode)] = []
            var seen: Set<String> = []
            for (k, v) in map {
                let kp = Position(file: file, line: k.mark?.line ?? pos.line, column: k.mark?.column ?? pos.column)
                let key = k.scalar?.string ?? ""
                if !seen.insert(key).inserted {
                    throw Diagnostics([Diagnostic(.error, at: kp, Message(zh: "键「\(key)」重复", en: "duplicate key '\(key)'"))])
                }
                pairs.append((key, kp, try convert(v, file: file, budget: &budget)))
            }
            return ConfigNode(value: .mapping(pairs), position: pos)
        case .alias:
            throw Diagnostics([Diagnostic(.error, at: pos, Message(zh: "不支持 YAML 别名", en: "YAML aliases are not supported"))])
        }
    }

    private static func diagnostic(for error: YamlError, file: String) -> Diagnostic {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return Diagnostic(.error, at: Position(file: file, line: mark.line, column: mark.column),
                              Message(zh: "YAML 语法错误：\(problem)", en: "YAML syntax error: \(problem)"))
        case .duplicatedKeysInMapping(let keys, let context):
            // The mapping that holds them, where the YAML library found it.
            return Diagnostic(.error, at: Position(file: file, line: context.mark.line, column: context.mark.column),
                              Message(zh: "键重复：\(keys.joined(separator: "、"))（同一层中每个键只能写一次）", en: "duplicate key: \(keys.joined(separator: ", ")) (each key once per mapping)"))
        default:
            return Diagnostic(.error, at: Position(file: file, line: 1, column: 1),
                              Message(zh: "YAML 错误：\(error)", en: "YAML error: \(error)"))
        }
    }

    // MARK: Accessors

    public var scalar: String? {
        if case .scalar(let s, _) = value { return s }
        return nil
    }

    public var items: [ConfigNode]? {
        if case .sequence(let items) = value { return items }
        return nil
    }

    public var pairs: [(key: String, keyPosition: Position, value: ConfigNode)]? {
        if case .mapping(let pairs) = value { return pairs }
        return nil
    }

    public subscript(key: String) -> ConfigNode? {
        pairs?.first(where: { $0.key == key })?.value
    }

    /// A short name for the node's kind, for "expected X, found Y" messages.
    public var kindName: Message {
        switch value {
        case .scalar: return Message(zh: "单个值", en: "a scalar")
        case .sequence: return Message(zh: "列表", en: "a list")
        case .mapping: return Message(zh: "映射", en: "a mapping")
        }
    }

    /// Converts to plain Foundation-free values (String, [Any], [String: Any]) for JSON output.
    public var plain: PlainValue {
        switch value {
        case .scalar(let s, _): return .string(s)
        case .sequence(let items): return .list(items.map(\.plain))
        case .mapping(let pairs): return .map(pairs.map { ($0.key, $0.value.plain) })
        }
    }
}

/// A configuration value without positions.
public indirect enum PlainValue: Sendable, Equatable {
    case string(String)
    case list([PlainValue])
    case map([(String, PlainValue)])

    public static func == (a: PlainValue, b: PlainValue) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return x == y
        case (.list(let x), .list(let y)): return x == y
        case (.map(let x), .map(let y)): return x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
        default: return false
        }
    }
}
