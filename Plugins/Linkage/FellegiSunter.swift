import Foundation

/// The Fellegi–Sunter model both matching steps use (`step: link` for any table, `step: duplicates`
/// as the member ledger's preset): per column and comparison level, m (how often one record
/// written twice agrees at that level) and u (how often two different records do); and λ, the
/// share of matches among the candidate pairs. A pair's match weight is log2(λ/(1−λ)) plus, per
/// column, log2(m/u) of its level; its probability follows. u is counted on random pairs of the
/// data; m and λ are estimated by EM on the candidate pairs (`estimate`).
public struct FellegiSunter: Sendable {
    public let m: [[Double]]
    public let u: [[Double]]
    public let lambda: Double
    public let iterations: Int
    /// log2(m/u) per column and level, worked out once (EM asks for it on every pair).
    private let weights: [[Double]]
    public let prior: Double

    /// A column left empty in either record: no evidence either way.
    public static let none: UInt8 = 0xFF

    public init(m: [[Double]], u: [[Double]], lambda: Double, iterations: Int) {
        self.m = m
        self.u = u
        self.lambda = lambda
        self.iterations = iterations
        weights = zip(m, u).map { zip($0, $1).map { log2($0 / $1) } }
        prior = log2(lambda / (1 - lambda))
    }

    public func weight(_ column: Int, _ level: UInt8) -> Double { level == Self.none ? 0 : weights[column][Int(level)] }

    /// The match weight of a pair whose columns compare at `gamma`'s levels.
    public func matchWeight<C: Collection<UInt8>>(_ gamma: C) -> Double {
        var w = prior
        for (k, g) in gamma.enumerated() { w += weight(k, g) }
        return w
    }

    public static func probability(weight w: Double) -> Double { 1 / (1 + pow(2, -w)) }

    public func probability<C: Collection<UInt8>>(_ gamma: C) -> Double { Self.probability(weight: matchWeight(gamma)) }

    /// u from level counts of random pairs: each column's counts, plus `prior` (a column's
    /// expected shares) weighted as `priorPairs` pairs, made shares.
    public static func shares(_ counts: [[Double]], prior: [[Double]], priorPairs: Double) -> [[Double]] {
        zip(counts, prior).map { c, p in
            let total = c.reduce(0, +) + priorPairs
            return zip(c, p).map { ($0 + priorPairs * $1) / total }
        }
    }

    /// m and λ by EM on the candidate pairs, `gammas` holding `levels.count` levels per pair
    /// (`none` for an empty column), u fixed. `m0` and `lambda0` start the estimate; with
    /// `priorPairs` > 0 they also count as that many pairs' worth of evidence (a maximum a
    /// posteriori estimate: few candidates leave the preset's values nearly as they were, many
    /// outweigh them). Columns in `fixed` are left out — those the candidates were chosen by
    /// (every candidate pair agrees on them, so they tell nothing here): their m stays `m0`.
    /// With `estimateU`, u of the other columns is estimated too, from the pairs EM takes for
    /// non-matches (`u` counting as `uPriorPairs`, else `priorPairs`, of them): u among the candidates, which the
    /// columns they were chosen by make unlike u among random pairs (two people of one name are
    /// born closer together than two people drawn at random, when homonyms are kin).
    public static func estimate(gammas: [UInt8], levels: [Int], u u0: [[Double]], m0: [[Double]], lambda0: Double,
                                priorPairs: Double = 0, fixed: Set<Int> = [], estimateU: Bool = false,
                                uPriorPairs: Double? = nil, maxIterations: Int = 100) -> FellegiSunter {
        let f = levels.count
        let count = f == 0 ? 0 : gammas.count / f
        var m = m0
        var u = u0
        var lambda = lambda0
        var iterations = 0
        guard count > 0 else { return FellegiSunter(m: m, u: u, lambda: lambda, iterations: 0) }
        // Pairs that compare alike count once, with their number (a few hundred patterns stand
        // for millions of pairs).
        var seen: [ArraySlice<UInt8>: Int] = [:]
        var patterns: [UInt8] = [], times: [Double] = []
        for p in 0..<count {
            let g = gammas[p * f..<p * f + f]
            if let i = seen[g] { times[i] += 1; continue }
            seen[g] = times.count
            patterns += g
            times.append(1)
        }
        let active = (0..<f).map { !fixed.contains($0) }
        for it in 1...maxIterations {
            iterations = it
            let model = FellegiSunter(m: m, u: u, lambda: lambda, iterations: it)
            var mSum = m0.map { $0.map { 1e-6 + priorPairs * $0 } }
            var uSum = u0.map { $0.map { 1e-9 + (uPriorPairs ?? priorPairs) * $0 } }
            var total = priorPairs * lambda0
            for (i, n) in times.enumerated() {
                var w = model.prior
                for k in 0..<f where active[k] { w += model.weight(k, patterns[i * f + k]) }
                let pr = probability(weight: w)
                total += pr * n
                for k in 0..<f where active[k] {
                    let l = patterns[i * f + k]
                    guard l != none else { continue }
                    mSum[k][Int(l)] += pr * n
                    uSum[k][Int(l)] += (1 - pr) * n
                }
            }
            let newLambda = min(max(total / (Double(count) + priorPairs), 1e-6), 1 - 1e-6)
            let newM = (0..<f).map { k in active[k] ? mSum[k].map { $0 / mSum[k].reduce(0, +) } : m0[k] }
            let newU = estimateU ? (0..<f).map { k in active[k] ? uSum[k].map { $0 / uSum[k].reduce(0, +) } : u0[k] } : u0
            let change = abs(newLambda - lambda) + zip(newM, m).map { zip($0, $1).map { abs($0 - $1) }.reduce(0, +) }.reduce(0, +)
                + zip(newU, u).map { zip($0, $1).map { abs($0 - $1) }.reduce(0, +) }.reduce(0, +)
            m = newM
            u = newU
            lambda = newLambda
            if change < 1e-7 { break }
        }
        return FellegiSunter(m: m, u: u, lambda: lambda, iterations: iterations)
    }

    /// The same m and u with another λ (the share of matches among all pairs, not among candidates).
    public func with(lambda: Double, m: [[Double]]? = nil) -> FellegiSunter {
        FellegiSunter(m: m ?? self.m, u: u, lambda: lambda, iterations: iterations)
    }

    /// A pair's weight explained column by column: "列 水平 +w" pieces, after the probability.
    public func explain<C: Collection<UInt8>>(_ gamma: C, label: (Int, UInt8) -> (zh: String, en: String)) -> (zh: String, en: String) {
        let pieces = gamma.enumerated().filter { $0.element != Self.none }.map { k, g in
            let l = label(k, g)
            let w = Self.signed(weight(k, g))
            return (zh: "\(l.zh) \(w)", en: "\(l.en) \(w)")
        }
        return Self.sentence(probability: probability(gamma), pieces)
    }

    /// "匹配概率 99.9%：列 水平 +w，…" from a pair's probability and its columns' pieces.
    public static func sentence(probability: Double, _ pieces: [(zh: String, en: String)]) -> (zh: String, en: String) {
        let pct = String(format1: probability * 100)
        return ("匹配概率 \(pct)%：" + pieces.map(\.zh).joined(separator: "，"), "match probability \(pct)%: " + pieces.map(\.en).joined(separator: ", "))
    }

    /// A weight with its sign, one decimal: +9.1, −3.3.
    public static func signed(_ w: Double) -> String {
        let s = String(format1: abs(w))
        return s == "0.0" ? "±0.0" : (w > 0 ? "+" : "−") + s
    }
}

extension String {
    /// One decimal place, without Foundation's locale.
    public init(format1 v: Double) {
        let t = (abs(v) * 10).rounded()
        self = (v < 0 && t > 0 ? "-" : "") + "\(Int(t) / 10).\(Int(t) % 10)"
    }
}
