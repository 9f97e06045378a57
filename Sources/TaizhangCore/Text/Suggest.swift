/// Did-you-mean suggestions for misspelt plugin and option names.
public enum Suggest {
    /// The closest candidate within a small edit distance, if any.
    public static func closest(to word: String, in candidates: [String]) -> String? {
        let w = Array(word.lowercased())
        var best: (String, Int)?
        for c in candidates {
            let d = distance(w, Array(c.lowercased()))
            let limit = max(2, min(w.count, c.count) / 3)
            if d <= limit, best == nil || d < best!.1 { best = (c, d) }
        }
        return best?.0
    }

    /// "是不是「X」？ / did you mean 'X'?" for the closest candidate, if one is close enough.
    public static func didYouMean(_ word: String, _ candidates: [String]) -> Message? {
        closest(to: word, in: candidates).map { Message(zh: "是不是「\($0)」？", en: "did you mean '\($0)'?") }
    }

    /// Levenshtein distance over characters.
    public static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}
