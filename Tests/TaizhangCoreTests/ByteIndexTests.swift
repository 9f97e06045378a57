import Foundation
import Testing
@testable import TaizhangCore

@Suite struct ByteIndexTests {
    @Test func valuesAreNumberedInTheOrderFirstInsertedAndFoundAgain() {
        var index = ByteIndex()
        #expect(index.insert("110105199001011234") == (entry: 0, new: true))
        #expect(index.insert("张伟") == (entry: 1, new: true))
        #expect(index.insert("110105199001011234") == (entry: 0, new: false))
        #expect(index.find("张伟") == 1)
        #expect(index.find("张") == nil)
        #expect(index.find("张伟 ") == nil)
        #expect(index.count == 2)
        #expect(Array(index.bytes(1)) == Array("张伟".utf8))
    }

    @Test func theEmptyValueIsAValueLikeAnyOther() {
        var index = ByteIndex()
        #expect(index.find("") == nil)
        #expect(index.insert("") == (entry: 0, new: true))
        #expect(index.insert("0") == (entry: 1, new: true))
        #expect(index.find("") == 0)
    }

    /// Past the first table's 512 values it grows, many times over: every value is still found,
    /// under the number it was given, and values that differ by a byte stay apart.
    @Test func aHundredThousandValuesSurviveEveryGrowth() {
        var index = ByteIndex()
        let values = (0..<100_000).map { "4401\(String(format: "%06d", $0))19" }
        for (k, v) in values.enumerated() { #expect(index.insert(v).entry == k) }
        #expect(index.count == 100_000)
        var wrong = 0
        for (k, v) in values.enumerated() where index.find(v) != k { wrong += 1 }
        #expect(wrong == 0)
        #expect(index.find("4401100000 19") == nil)
        #expect(index.find("440110000019") == nil)
    }
}
