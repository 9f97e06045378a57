import TaizhangCore

extension ReviewSet.Vocabulary {
    /// The review sheet as Chinese offices fill it in: 配对键 and 决定, 是 / 否 (and the forms
    /// people also write). Used by `step: link` and `step: duplicates`.
    public static let chinese = ReviewSet.Vocabulary(
        keyHeader: "配对键", decisionHeader: "决定",
        yes: ["是", "同一人", "Y", "YES", "y", "yes"],
        no: ["否", "不是", "N", "NO", "n", "no"])
}
