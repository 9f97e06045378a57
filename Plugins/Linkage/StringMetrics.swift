import Foundation

/// String similarity on Unicode scalars (as `LinkStep.normalized` gives them): what `step: link`
/// compares names, texts and codes with.
enum StringMetrics {

    /// Jaro–Winkler similarity (prefix scale 0.1, up to 4 characters).
    static func jaroWinkler(_ a: [UInt32], _ b: [UInt32]) -> Double {
        if a.isEmpty || b.isEmpty { return 0 }
        let window = max(0, max(a.count, b.count) / 2 - 1)
        var aHit = [Bool](repeating: false, count: a.count), bHit = [Bool](repeating: false, count: b.count)
        var matches = 0
        for i in a.indices {
            let lo = max(0, i - window), hi = min(b.count - 1, i + window)
            guard lo <= hi else { continue }
            for j in lo...hi where !bHit[j] && a[i] == b[j] {
                aHit[i] = true; bHit[j] = true; matches += 1
                break
            }
        }
        if matches == 0 { return 0 }
        var t = 0, j = 0
        for i in a.indices where aHit[i] {
            while !bHit[j] { j += 1 }
            if a[i] != b[j] { t += 1 }
            j += 1
        }
        let m = Double(matches)
        let jaro = (m / Double(a.count) + m / Double(b.count) + (m - Double(t / 2)) / m) / 3
        var prefix = 0
        while prefix < min(4, a.count, b.count) && a[prefix] == b[prefix] { prefix += 1 }
        return jaro + Double(prefix) * 0.1 * (1 - jaro)
    }

    /// Edit distance with adjacent transpositions (optimal string alignment), or `atMost + 1`
    /// when it is more than `atMost`.
    static func edits(_ a: [UInt32], _ b: [UInt32], atMost: Int) -> Int {
        if abs(a.count - b.count) > atMost { return atMost + 1 }
        let w = b.count + 1
        var d = [Int](repeating: 0, count: (a.count + 1) * w)
        for j in 0...b.count { d[j] = j }
        for i in 1...max(1, a.count) where i <= a.count {
            d[i * w] = i
            var rowMin = i
            for j in 1...max(1, b.count) where j <= b.count {
                var v = min(d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1, d[(i - 1) * w + j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { v = min(v, d[(i - 2) * w + j - 2] + 1) }
                d[i * w + j] = v
                rowMin = min(rowMin, v)
            }
            if rowMin > atMost { return atMost + 1 }
        }
        return min(d[a.count * w + b.count], atMost + 1)
    }
}
