import Foundation
import Testing
import TaizhangCore
@testable import TaizhangMemberLedger

/// The per-cell checks are written by hand for speed (issue 7); each must agree with the regular
/// expression or Foundation call it replaced, on ordinary and awkward input alike.
@Suite struct FastPathTests {
    static func matches(_ s: String, _ pattern: String) -> Bool {
        s.range(of: "^(?:" + pattern + ")$", options: .regularExpression) != nil
    }

    static let phones = [
        "13812345678", "12812345678", "1381234567", "138123456789", "010-66123456", "01066123456",
        "0755-12345678", "075512345678", "0755-1234567-123", "07551234567-1234", "010-661234-56", "0-66123456",
        "00000-1234567", "010--66123456", "2345678", "23456789", "1234567", "234567", "234567890",
        "010-66123456-1234567", "-13812345678", "13812345678-", "", "phone", "１３８１２３４５６７８", "0106612345",
        "021-1234567", "0211234567", "02112345678-1", "021-12345678-",
    ]

    /// `standardValue` reads one table: each standard value is its own alias there (it once also
    /// built a set of the standard values, for every value the table did not hold).
    @Test func aStandardValueIsItsOwnAliasAndAnUnknownOneIsNone() {
        typealias F = MemberLedgerSchema.F
        let t = CodeTables.standard
        let fields = [F.sex, F.education] + t.values.keys.sorted()
        for field in fields {
            let standard = t.standardValues(field) ?? []
            #expect(!standard.isEmpty, "\(field)")
            for v in standard { #expect(t.standardValue(field, v) == v, "\(field): \(v)") }
            #expect(t.standardValue(field, "不是标准值") == nil, "\(field)")
        }
        #expect(t.standardValue(F.sex, "M") == "男" || t.standardValue(F.sex, "男性") == "男")
    }

    @Test func phoneMatcherAgreesWithTheRegularExpression() {
        let pattern = "1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?|[2-9][0-9]{6,7}"
        for p in Self.phones {
            #expect(MemberValuesValidator.isPhoneNumber(p) == Self.matches(p, pattern), "\(p)")
        }
    }

    @Test func scientificIDsAgreeWithTheRegularExpression() {
        for s in ["1.10105198503E+17", "1.10105E17", "1E+17", "1E17", "11E+17", "1.E+17", ".1E+17", "1.1E+", "1.1E", "E+17",
                  "1.1E+17X", "110105198503121234", "1.1e+17", ""] {
            #expect(IDNumber.isScientific(s) == Self.matches(s, #"[0-9](\.[0-9]+)?E\+?[0-9]+"#), "\(s)")
        }
    }

    @Test func canonicalIDFastPathIsWhatCleanWouldLeave() {
        for s in ["11010519491231002X", "110105194912310021", "11010519491231002x", "1101051949123100211", "11010519491231002",
                  "１１０１０５１９４９１２３１００２Ｘ", "X10105194912310021", ""] {
            let slow: String = {
                var t = s.precomposedStringWithCompatibilityMapping
                t.removeAll { $0.isWhitespace }
                return t.uppercased()
            }()
            if IDNumber.isCanonical(s) { #expect(slow == s, "\(s) is already clean") }
        }
        #expect(IDNumber.isCanonical("11010519491231002X"))
        #expect(!IDNumber.isCanonical("11010519491231002x"))
    }

    @Test func timePartAgreesWithTheRegularExpression() {
        let pattern = #"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$"#
        for s in ["1985-03-12 00:00:00", "1985-03-12T00:00", "1985-03-12 0:00", "1985-03-12 00:00:00.000", "1985-03-12 000:00",
                  "1985-03-12 00:0", "1985-03-12", "1985-03-12 ", "1985-03-12 00:00:00.", "1985年3月12日 8:30", "T12:00", "1985 T 12:00",
                  "1985-03-12 00:00:00:00", "1985-03-12 ab:cd"] {
            let expected = s.range(of: pattern, options: .regularExpression)?.lowerBound
            #expect(DateText.timePartStart(s) == expected, "\(s)")
        }
    }

    @Test func isoFastPathAgreesWithTheGeneralParser() {
        for s in ["1985-03-12", "1985-02-29", "1984-02-29", "1985-13-01", "1985-03", "1985-00", "1799-01-01", "1985-3-12", "1985-03-1",
                  "1985-03-12x", "19850312", "2000-02-29", "1900-02-29"] {
            if let fast = DateText.parseISO(s) {
                // The general path, with the fast path bypassed by a leading space.
                #expect(DateText.parse(" " + s, currentYear: 2026) == fast, "\(s)")
            }
        }
        // The separated fast path: four-digit year, one separator used twice, one or two digits.
        for s in ["1985.3.12", "1985/03/12", "1985-3-1", "1985.02.29", "1985.3/12", "1985.3.123", "1985..3", "85.3.12", "1985.3.12.1", "1985.13.1"] {
            if let fast = DateText.parseNumeric(s) {
                #expect(DateText.parse(" " + s, currentYear: 2026) == fast, "\(s)")
            }
        }
        // The written fast path: 1985年3月12日 (日, 号 or neither) and eight digits.
        for s in ["1985年3月12日", "1985年03月12号", "1985年3月12", "1985年2月29日", "1985年13月1日", "85年3月12日", "1985年3月",
                  "19850312", "19851332", "17991231", "1985年3月12日x", "1985年3月12日日", "2000年2月29日"] {
            if let fast = DateText.parseWritten(s) {
                #expect(DateText.parse(" " + s, currentYear: 2026) == fast, "\(s)")
            }
        }
        #expect(DateText.parseWritten("1985年3月12日") == .day(1985, 3, 12))
        #expect(DateText.parseWritten("1985年03月12号") == .day(1985, 3, 12))
        #expect(DateText.parseWritten("19850312") == .day(1985, 3, 12))
        #expect(DateText.parseWritten("19850229") == nil && DateText.parseWritten("1985年2月29日") == nil)
        #expect(DateText.parseWritten("1985年3月") == nil)   // a month: the general parser's
        #expect(DateText.parseNumeric("1985.3.12") == .day(1985, 3, 12))
        #expect(DateText.parseNumeric("1985.3/12") == nil)
        #expect(DateText.parseNumeric("1985.02.29") == nil)
        #expect(DateText.parseISO("1985-03-12") == .day(1985, 3, 12))
        #expect(DateText.parseISO("1985-02-29") == nil)
        #expect(DateText.parseISO("1985-03") == .month(1985, 3))
        #expect(DateText.Parsed.day(985, 3, 2).iso == "0985-03-02")
    }

    /// Each input with what compatibility folding (NFKC) and basic folding (NFKC, whitespace runs
    /// to one space, none at the ends) must give: written out by hand from the Unicode tables.
    @Test(arguments: [
        ("张伟", "张伟", "张伟"), ("abc 123", "abc 123", "abc 123"), ("书院路社区", "书院路社区", "书院路社区"),
        ("香港同胞、澳门同胞", "香港同胞、澳门同胞", "香港同胞、澳门同胞"), ("买买提·艾力", "买买提·艾力", "买买提·艾力"),
        ("１２３", "123", "123"), ("张\u{3000}伟", "张 伟", "张 伟"), ("Ⅻ", "XII", "XII"), ("ﬁ", "fi", "fi"),
        ("e\u{301}", "\u{E9}", "\u{E9}"), ("\u{00A0}x", " x", "x"), ("  a  b ", "  a  b ", "a b"), ("a\tb", "a\tb", "a b"),
        ("①", "1", "1"), ("㈱", "(株)", "(株)"), ("〈书〉", "〈书〉", "〈书〉"), ("。", "。", "。"), ("\u{3000}", " ", ""),
    ])
    func foldingGivesWhatTheUnicodeTablesSay(_ input: String, _ compatibility: String, _ basic: String) {
        #expect(TextFold.compatibility(input) == compatibility)
        #expect(TextFold.basic(input) == basic)
    }

    @Test func trimmingAndSearchingAgreeWithFoundation() {
        for s in ["", " ", " a ", "\ta b\t", "\u{3000}张伟\u{3000}", "\u{00A0}x\u{00A0}", "x\n", "\n x"] {
            #expect(s.trimmingSpaces() == s.trimmingCharacters(in: .whitespaces), "\(s.debugDescription)")
        }
        for (s, needle) in [("a_x0041_b", "_x"), ("_", "_x"), ("x_", "_x"), ("__x", "_x"), ("张_x伟", "_x"), ("abc", "abd"), ("abc", "")] {
            #expect(s.containsBytes(of: needle) == (needle.isEmpty || s.contains(needle)), "\(s) \(needle)")
        }
    }

    /// A cell found plain from its bytes is one the string folds would leave as it is.
    @Test func plainBytesAreCellsTheFoldsLeaveAlone() {
        let cells = ["张伟", "张 伟", " 张伟", "张伟 ", "阿依古丽·买买提", "阿依古丽.买买提", "ＡＢＣ", "联络员373", "Li Na", "Li  Na", "李\t娜",
                     "书院路社区", "書院路社區", "café", "𠀋伟", "张伟\u{7F}", "A.B", "张、伟", "（张伟）", "張偉", "", " "]
        for s in cells {
            for name in [true, false] {
                let plain = Array(s.utf8).withUnsafeBufferPointer { TextFold.isPlain(utf8: $0, name: name) }
                if plain {
                    #expect(TextFold.basic(s) == s, "\(s) said plain but basic folds it")
                    if name { #expect(TextFold.name(s) == s, "\(s) said a plain name but name folds it") }
                }
            }
        }
        #expect(Array("张伟".utf8).withUnsafeBufferPointer { TextFold.isPlain(utf8: $0, name: true) })
        #expect(!Array("张 伟".utf8).withUnsafeBufferPointer { TextFold.isPlain(utf8: $0, name: true) })
        #expect(!Array("ＡＢＣ".utf8).withUnsafeBufferPointer { TextFold.isPlain(utf8: $0, name: false) })
        // Bytes that are not UTF-8 (a surrogate's, an over-long "A", a cut character) are never plain.
        for bytes: [UInt8] in [[0xED, 0xA0, 0x80], [0xE0, 0x81, 0x81], [0xE5, 0xBC], [0xFF]] {
            #expect(!bytes.withUnsafeBufferPointer { TextFold.isPlain(utf8: $0, name: true) })
            #expect(!bytes.withUnsafeBufferPointer { TextFold.isPlain(utf8: $0, name: false) })
        }
    }

    /// An ID number as one number: a cell of more than 18 digits is not one (and does not overflow).
    @Test func anIDKeyIsEighteenCharactersOnly() {
        #expect(IdentityCheck.key("11010519491231002X") != nil)
        #expect(IdentityCheck.key("11010519491231002X") == IdentityCheck.key(bytes: Array("11010519491231002X".utf8)))
        #expect(IdentityCheck.key("1101051949123100211") == nil)
        #expect(IdentityCheck.key("99999999999999999999999999") == nil)
        #expect(IdentityCheck.key("11010519491231002") == nil)
    }
}
