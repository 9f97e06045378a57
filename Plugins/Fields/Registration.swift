import TaizhangCore

/// `validate: fields` (the schema's own rules) and the byte-level pattern engine it checks with.
public enum Fields {
    public static func register(into registry: inout Registry) {
        registry.register(issueTypes: [
            "required": Message(zh: "必填字段为空", en: "required field empty"),
            "type-error": Message(zh: "值的类型不对", en: "value of the wrong type"),
            "pattern-mismatch": Message(zh: "值不符合规定格式", en: "value does not match the pattern"),
            "not-in-codes": Message(zh: "值不在代码表中", en: "value not in the code list"),
            "out-of-range": Message(zh: "数值超出范围", en: "number out of range"),
            "length-error": Message(zh: "长度不符", en: "wrong length"),
            "unique-violation": Message(zh: "应唯一的值重复", en: "unique value repeated"),
        ])
        registry.register(FieldsValidatorPlugin.plugin)
    }
}
