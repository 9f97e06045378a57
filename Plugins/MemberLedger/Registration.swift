import TaizhangCore

/// The member-ledger domain pack: the `member-ledger` schema, its normaliser and validators.
public enum MemberLedger {
    public static func register(into registry: inout Registry) {
        registry.register(schema: MemberLedgerSchema.schema,
                          defaultSteps: ["member-ledger", "fields", "id-number", "member-category", "member-values"])
        registry.register(MemberLedgerNormalizerPlugin.plugin)
        registry.register(IDNumberValidatorPlugin.plugin)
        registry.register(CategoryValidatorPlugin.plugin)
        registry.register(MemberValuesValidatorPlugin.plugin)
        registry.register(MemberReturnPlugin.plugin)
        registry.register(DuplicatesPlugin.plugin)
    }
}
