import TaizhangCore

/// What the readers' issue codes mean (shown beside the code in the issue workbook).
enum ReaderIssueTypes {
    static let all: [String: Message] = [
        "empty-file": Message(zh: "文件是空的", en: "empty file"),
        "encoding-detected": Message(zh: "自动识别的文字编码", en: "encoding detected"),
        "no-header": Message(zh: "找不到表头行", en: "no header row"),
        "no-data": Message(zh: "只有表头，没有数据", en: "header but no data"),
        "empty-sheet": Message(zh: "工作表是空的", en: "empty sheet"),
        "duplicate-key": Message(zh: "JSON 记录中同一键出现两次", en: "a key twice in a JSON record"),
        "not-an-object": Message(zh: "JSON 记录不是对象", en: "JSON record is not an object"),
        "formula-cached": Message(zh: "公式单元格取其保存的结果", en: "formula's saved result used"),
        "formula-error": Message(zh: "公式结果是错误值", en: "formula gives an error value"),
        "formula-no-value": Message(zh: "公式没有保存结果", en: "formula has no saved result"),
        "formula-scan-failed": Message(zh: "无法检查公式单元格", en: "formula cells not checked"),
        "sheet-chosen": Message(zh: "读取的是第一个有表头的工作表", en: "the first sheet with a header was read"),
        "hidden-sheets": Message(zh: "工作簿有隐藏的工作表", en: "hidden sheets"),
    ]
}
