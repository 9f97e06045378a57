import Foundation
import Testing
@testable import TaizhangCore

@Suite struct ByteIndexTests {
    @Test func valuesAreNumberedInTheOrderFirstInsertedAndFoundAgain() {
        var index = ByteIndex()
        #expect(index.insert("110105199001011234") == (entry: 0, new: true))
        #expect(index.insert("张伟") == (entry: 1, new: true))
        #expect(index.insert("110105199001011234") == (entry: 0, new: false))
        #expect(index.find("张伟")?.entry == 1)
        #expect(index.find("张") == nil)
        #expect(index.find("张伟 ") == nil)
        #expect(index.count == 2)
        #expect(Array(index.bytes(1)) == Array("张伟".utf8))
    }

    @Test func eachValueCarriesANumberItsOwnerSets() {
        var index = ByteIndex()
        #expect(index.insert("李明", value: 7) == (entry: 0, new: true))
        #expect(index.insert("李明", value: 9) == (entry: 0, new: false), "a second insert leaves the first value")
        #expect(index.find("李明")?.value == 7)
        index.setValue(-3, of: 0)
        #expect(index.find("李明")?.value == -3 && index.value(0) == -3)
        #expect(index.insert("王芳").new && index.find("王芳")?.value == 0)
    }

    @Test func theEmptyValueIsAValueLikeAnyOther() {
        var index = ByteIndex()
        #expect(index.find("") == nil)
        #expect(index.insert("") == (entry: 0, new: true))
        #expect(index.insert("0") == (entry: 1, new: true))
        #expect(index.find("")?.entry == 0)
    }

    /// Past the first table's 512 values it grows, many times over: every value is still found,
    /// under the number it was given, and values that differ by a byte stay apart.
    @Test func aHundredThousandValuesSurviveEveryGrowth() {
        var index = ByteIndex()
        let values = (0..<100_000).map { "4401\(String(format: "%06d", $0))19" }
        var misnumbered = 0
        for (k, v) in values.enumerated() where index.insert(v, value: Int32(k) * 3) != (entry: k, new: true) { misnumbered += 1 }
        #expect(misnumbered == 0)
        #expect(index.count == 100_000)
        var wrong = 0
        for (k, v) in values.enumerated() where index.find(v)?.entry != k || index.find(v)?.value != Int32(k) * 3 { wrong += 1 }
        #expect(wrong == 0)
        let carried: Int32? = index.find(values[54_321])?.value
        #expect(carried == Int32(162_963))
        #expect(Array(index.bytes(99_999)) == Array(values[99_999].utf8))
        #expect(index.find("4401100000 19") == nil)
        #expect(index.find("440110000019") == nil)
    }

    @Test func rowsByValueKeepTheirOrderAndEachRowOnce() {
        var index = RowIndex()
        let news = [index.add("张伟", row: 4), index.add("张伟", row: 1), index.add("张伟", row: 4), index.add("李娜", row: 2), index.add("张伟", row: 9)]
        #expect(news == [true, false, false, true, false], "a value is new once; a row already there is not added again")
        #expect(Array(index.rows("张伟")) == [4, 1, 9])
        #expect(Array(index.rows("李娜")) == [2])
        #expect(index.rows("王芳").isEmpty)
    }
}

@Suite struct NumberIndexTests {
    @Test func numbersAreFoundSetAgainAndSaidWhatTheyHad() {
        var n = NumberIndex()
        #expect(n[110105198503120012] == nil)
        #expect(n.updateValue(7, forKey: 110105198503120012) == nil)
        #expect(n.updateValue(9, forKey: 110105198503120012) == 7)
        #expect(n[110105198503120012] == 9)
        // The one key an empty slot is written with is a key like any other, and so is 0.
        #expect(n.updateValue(-1, forKey: UInt64.max) == nil)
        #expect(n.updateValue(3, forKey: 0) == nil)
        #expect(n[UInt64.max] == -1 && n[0] == 3 && n.count == 3)
    }

    @Test func twoHundredThousandKeysSurviveEveryGrowthAndAreEachListedOnce() {
        var n = NumberIndex(capacity: 10)
        n.updateValue(-7, forKey: UInt64.max)   // kept beside the table, across every growth
        // Keys alike but for their high bits, and keys a stride apart.
        let keys = (0..<100_000).map { UInt64($0) << 40 } + (0..<100_000).map { UInt64($0) * 1024 + 1 }
        for (i, k) in keys.enumerated() { n.updateValue(Int32(i), forKey: k) }
        #expect(n.count == 200_001 && n[UInt64.max] == -7)
        #expect(keys.indices.allSatisfy { n[keys[$0]] == Int32($0) })
        #expect(n[12345 << 40 | 1] == nil)
        var listed = 0, sum: Int64 = 0
        n.forEach { k, v in if k != UInt64.max { listed += 1; sum += Int64(v) } }
        #expect(listed == 200_000 && sum == Int64(199_999) * 200_000 / 2)
    }
}

/// The per-person arrays of matching, identity and forms grow in place: values survive every
/// growth (realloc moves them), and setting one changes only it.
@Suite struct GrowingArrayTests {
    @Test func valuesSurviveGrowthAndSetsChangeOneValue() {
        let a = GrowingArray<UInt64>()
        #expect(a.isEmpty)
        for i in 0..<300_000 { a.append(UInt64(i) &* 0x9E37_79B9_7F4A_7C15) }
        [7, 8, 9].withUnsafeBufferPointer { a.append(contentsOf: $0) }
        #expect(a.count == 300_003)
        a[12_345] = 42
        #expect(a[12_345] == 42)
        #expect(a[12_346] == UInt64(12_346) &* 0x9E37_79B9_7F4A_7C15)
        #expect(a[299_999] == UInt64(299_999) &* 0x9E37_79B9_7F4A_7C15)
        #expect(a.withUnsafeBufferPointer { Array($0.suffix(3)) } == [7, 8, 9])
        #expect(a.indices == 0..<300_003)
    }
}
