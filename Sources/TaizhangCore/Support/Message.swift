/// The language of everything a person reads: messages, summaries, errors.
/// Chinese is the default; English is available with `--lang en` or `TAIZHANG_LANG=en`.
public enum Language: String, Sendable, Codable, CaseIterable {
    case zh, en

    /// The language named by the environment (`TAIZHANG_LANG`), else Chinese.
    public static func fromEnvironment(_ env: [String: String]) -> Language {
        if let v = env["TAIZHANG_LANG"]?.lowercased(), v.hasPrefix("en") { return .en }
        return .zh
    }
}

/// A text a person reads, in both languages. Plugins build messages with both;
/// which one is shown is decided when it is printed or written.
public struct Message: Sendable, Hashable, Codable {
    public var zh: String
    public var en: String

    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }

    public func text(_ language: Language) -> String {
        language == .zh ? zh : en
    }
}
