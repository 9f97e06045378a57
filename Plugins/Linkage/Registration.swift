import TaizhangCore

/// The generic record-linkage step. The CLI calls this once at start-up.
public enum Linkage {
    public static func register(into registry: inout Registry) {
        registry.register(issueTypes: [
            "duplicate-person": Message(zh: "同一人重复登记", en: "the same person twice"),
            "possible-duplicate": Message(zh: "疑似同一人，需复核", en: "possibly the same person: review"),
            "link-model": Message(zh: "匹配模型的估计", en: "the matching model's estimates"),
            "link-block-skipped": Message(zh: "分块过大未比较", en: "block too large, not compared"),
        ])
        registry.register(LinkPlugin.plugin)
    }
}
