import Foundation
import Testing
import TaizhangCore
@testable import TaizhangFields

/// `BytePattern` must give NSRegularExpression's answer (full match) for every pattern it accepts,
/// and refuse the ones it does not handle so the validator falls back.
@Suite struct BytePatternTests {
    static let patterns = [
        "[0-9]{17}[0-9X]", "1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}", #"\d{4}-\d{2}-\d{2}"#, "[A-Z]{2}[0-9]{0,3}",
        "(ab|cd)*e", "(?:ab)+", "a{2,}b?", "x.y", "[^0-9]+", #"[\w.]+@[a-z]+\.(com|cn)"#, "(a|b){3}c{0,2}", #"\s*\S+"#,
        "colou?r", "[a-c-]+", #"\(\d+\)"#, "(a*)*b", "(0|1[0-9]*)", "[+-]?[0-9]+(\\.[0-9]+)?", "",
        "[0-9]{40,60}(x|yz)",   // over 64 states: the general (non-bit-parallel) path
    ]
    static let values = [
        "", "a", "ab", "abab", "cde", "abcde", "abe", "e", "11010519491231002X", "110105194912310021", "11010519491231002x",
        "1101051949123100", "13812345678", "12812345678", "010-66123456", "0755-1234567", "07551234567", "2026-11-23",
        "2026-1-23", "AB", "AB123", "AB1234", "aab", "aaaab", "b", "xzy", "x\ny", "abc", "a1", "me@x.com", "me@x.org",
        "aabc", "abacc", "color", "colour", "colouur", "a-b-c", "(12)", "()", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "0", "10", "19", "01", "+3.14", "-2", "3.", " x", "  ", "\tq",
        String(repeating: "7", count: 50) + "x", String(repeating: "7", count: 39) + "x", String(repeating: "7", count: 60) + "yz",
        String(repeating: "7", count: 61) + "x",
    ]

    @Test func agreesWithNSRegularExpression() throws {
        for p in Self.patterns {
            let bp = try #require(BytePattern(p), "\(p) should be handled")
            let re = try NSRegularExpression(pattern: "^(?:" + p + ")$")
            for v in Self.values {
                let expected = re.firstMatch(in: v, range: NSRange(v.startIndex..., in: v)) != nil
                let got = Array(v.utf8).withUnsafeBufferPointer { bp.matches($0) }
                #expect(got == expected, "\(p) on \(v.debugDescription)")
            }
        }
    }

    @Test func randomValuesAgree() throws {
        var rng = SplitMix(seed: 42)
        let alphabet = Array("0123456789X-abx.( )".utf8)
        for p in Self.patterns {
            let bp = try #require(BytePattern(p))
            let re = try NSRegularExpression(pattern: "^(?:" + p + ")$")
            for _ in 0..<300 {
                let v = String(decoding: (0..<Int.random(in: 0...20, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }, as: UTF8.self)
                let expected = re.firstMatch(in: v, range: NSRange(v.startIndex..., in: v)) != nil
                #expect(Array(v.utf8).withUnsafeBufferPointer { bp.matches($0) } == expected, "\(p) on \(v.debugDescription)")
            }
        }
    }

    @Test func refusesWhatItDoesNotHandle() {
        for p in ["^a$", #"(a)\1"#, "a(?=b)", "a+?", "[[:digit:]]", "\\p{Han}", "张.", "[a&&b]", "a{3,2}", "\\bword", "(?i)a", "[]a]"] {
            #expect(BytePattern(p) == nil, "\(p)")
        }
    }

    @Test func nonASCIIValuesAreLeftToTheCaller() throws {
        let bp = try #require(BytePattern(#"\d+"#))
        #expect(Array("１２３".utf8).withUnsafeBufferPointer { bp.matches($0) } == nil)
    }
}
