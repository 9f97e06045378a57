import Foundation
import Testing
import TaizhangCore
@testable import TaizhangMemberLedger

@Suite struct IDNumberTests {
    @Test(arguments: [
        ("11010519491231002X", "11010519491231002X"),
        ("11010519491231002x", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),
        (" 110105 19491231 002X ", "11010519491231002X"),
        ("'11010519491231002X", "11010519491231002X"),
        ("340524800101001", "34052419800101001X"),
        ("440524188001010014", "440524188001010014"),
    ])
    func cleansAndUpgrades(_ raw: String, _ expected: String) {
        guard case .value(let v, _) = IDNumber.clean(raw) else { Issue.record("digits lost?"); return }
        #expect(v == expected)
        #expect(IDNumber.check(v, today: (2026, 11, 23)).problems.isEmpty, "\(v) is valid")
    }

    @Test(arguments: ["1.10105198503E+17", "1.10105E17", "1E+17"])
    func digitsLostAreNeverGuessed(_ raw: String) {
        #expect(IDNumber.clean(raw) == .digitsLost(raw.uppercased()))
    }

    @Test func checkCharacterFromTheReference() {
        #expect(IDNumber.checkCharacter("11010519491231002") == "X")
        #expect(IDNumber.checkCharacter("34052419800101001") == "X")
    }

    @Test(arguments: [
        ("110105194912310021", "checkCharacter"),
        ("990105194912310028", "division"),
        ("110105194902300025", "birthDate"),
        ("110105203001010012", "birthDate"),
        ("11010519491231002", "length"),
        ("11010519491231002Y", "characters"),
    ])
    func problems(_ id: String, _ kind: String) {
        let (_, problems) = IDNumber.check(id, today: (2026, 11, 23))
        #expect(problems.contains { "\($0)".hasPrefix(kind) }, "\(id): \(problems)")
    }

    @Test func factsGiveBirthAndSex() {
        let (facts, _) = IDNumber.check("11010519491231002X", today: (2026, 11, 23))
        #expect(facts == IDNumber.Facts(year: 1949, month: 12, day: 31, male: false))
    }
}

@Suite struct DateTextTests {
    @Test(arguments: [
        ("1985-03-12", "1985-03-12"), ("1985-3-12", "1985-03-12"), ("1985.3.12", "1985-03-12"),
        ("1985/03/12", "1985-03-12"), ("1985年3月12日", "1985-03-12"), ("1985年3月", "1985-03"),
        ("19850312", "1985-03-12"), ("198503", "1985-03"), ("85.3", "1985-03"), ("85.3.12", "1985-03-12"),
        ("05.3", "2005-03"), ("一九八五年三月", "1985-03"), ("一九八五年三月十二日", "1985-03-12"),
        ("二〇〇一年十月二十一日", "2001-10-21"), ("31118", "1985-03-12"), ("31118.0", "1985-03-12"),
        ("１９８５．３．１２", "1985-03-12"), ("1985-03-12 00:00:00", "1985-03-12"), ("1900/1/1", "1900-01-01"),
    ])
    func parses(_ raw: String, _ iso: String) {
        #expect(DateText.parse(raw, currentYear: 2026)?.iso == iso, "\(raw)")
    }

    @Test func writtenWithZerosToTheirWidth() {
        #expect(DateText.Parsed.day(2026, 4, 8).iso == "2026-04-08")
        #expect(DateText.Parsed.month(1985, 12).iso == "1985-12")
        #expect(DateText.Parsed.day(999, 1, 2).iso == "0999-01-02")
        #expect(DateText.Parsed.day(12345, 1, 2).iso == "12345-01-02")   // out of the four digits: as it is
    }

    /// A two-digit year of a birth is at least 16 years ago; of an event (a visit, a move), up to this year.
    @Test func twoDigitYearsOfBirthsAndOfEvents() {
        #expect(DateText.parse("26-7-3", currentYear: 2026)?.iso == "1926-07-03")
        #expect(DateText.parse("26-7-3", currentYear: 2026, event: true)?.iso == "2026-07-03")
        #expect(DateText.parse("27.1.5", currentYear: 2026, event: true)?.iso == "1927-01-05")
        #expect(DateText.parse("85.3.12", currentYear: 2026, event: true)?.iso == "1985-03-12")
    }

    @Test func excelSerials() {
        #expect(DateText.excelSerial(1, excel1904: false)?.iso == "1900-01-01")
        #expect(DateText.excelSerial(59, excel1904: false)?.iso == "1900-02-28")
        #expect(DateText.excelSerial(60, excel1904: false) == nil)          // Excel's 29 Feb 1900
        #expect(DateText.excelSerial(61, excel1904: false)?.iso == "1900-03-01")
        #expect(DateText.excelSerial(29656, excel1904: true)?.iso == "1985-03-12")
    }

    @Test(arguments: ["1985-02-30", "八五年", "1985", "13.13", "85.13", "abc", "1985-13-01", "20250230"])
    func rejects(_ raw: String) {
        #expect(DateText.parse(raw, currentYear: 2026) == nil, "\(raw)")
    }
}

@Suite struct CategoryTests {
    @Test(arguments: [
        ("党外知识分子", [3]), ("非公人士", [6]), ("新阶层人士", [7]), ("港澳同胞", [9]), ("台胞台属", [10]),
        ("归侨侨眷", [11]), ("宗教人士", [5]), ("党外知分", [3]), ("少数民族", [4]), ("留学人员", [8]),
        ("少数民族人士、党外知识分子", [3, 4]), ("民主党派成员/党外知识分子", [1, 3]), ("宗教界人士;少数民族人士", [4, 5]),
        ("香港同胞、澳门同胞", [9]), ("华侨、归侨及侨眷", [11]), ("少数民族人士、华侨、归侨及侨眷", [4, 11]),
        ("原工商业者", [12]), ("自由职业人员", [7]), ("非公经济人士，新的社会阶层人士", [6, 7]),
    ])
    func mapsToOfficial(_ text: String, _ numbers: [Int]) {
        let p = CodeTables.standard.parseCategories(text)
        #expect(p.numbers == numbers, "\(text)")
        #expect(p.unknown.isEmpty)
    }

    /// Sheets of a one-sheet-per-category workbook are often numbered or called rolls
    /// (「一、民主党派成员」, 「3.党外知识分子名册」): filled into the category by `set:`, they still map.
    @Test(arguments: [("一、民主党派成员", [1]), ("3.党外知识分子名册", [3]), ("（二）宗教界人士", [5]), ("第十二类其他", [12]),
                      ("非公有制经济人士花名册", [6]), ("一", []), ("名册", []),
                      ("九三学社社员名册", [1]), ("三胞亲属名单", []), ("民盟", [1])])
    func numberedOrRollNames(_ text: String, _ numbers: [Int]) {
        let p = CodeTables.standard.parseCategories(text)
        #expect(p.numbers == numbers, "\(text)")
        #expect(p.unknown.isEmpty == !numbers.isEmpty || !p.asked.isEmpty, "\(text): \(p.unknown)")
    }

    @Test func unknownPartsAreKept() {
        let p = CodeTables.standard.parseCategories("党外知识分子、离退休干部")
        #expect(p.numbers == [3])
        #expect(p.unknown == ["离退休干部"])
    }
}

@Suite struct TextFoldTests {
    @Test(arguments: [("张 伟", "张伟"), ("  李　娜 ", "李娜"), ("买买提•艾力", "买买提·艾力"), ("阿依古丽・吐尔逊", "阿依古丽·吐尔逊"),
                      ("John Smith", "John Smith"), ("欧阳 娜娜", "欧阳娜娜"), ("联络员373", "联络员373"), ("ＡＢ１", "AB1"),
                      ("买买提.艾力", "买买提·艾力"), ("王\t五", "王五")])
    func names(_ raw: String, _ expected: String) { #expect(TextFold.name(raw) == expected) }

    @Test func openCCSimplifies() {
        let s = Simplifier()
        #expect(s.isAvailable, "OpenCC's t2s.json must be installed (libopencc-data)")
        #expect(s.simplify("黨外知識分子") == "党外知识分子")
        #expect(s.simplify("維吾爾族") == "维吾尔族")
        #expect(s.simplify("臺灣同胞及其在大陸的親屬") == "台湾同胞及其在大陆的亲属")
        // Asked character by character first: one traditional character among simplified ones.
        #expect(s.simplify("张伟") == "张伟")
        #expect(s.simplify("張伟") == "张伟")
        #expect(s.simplify("黄新路社區") == "黄新路社区")
    }
}
