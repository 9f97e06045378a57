import Foundation
import Testing
import TaizhangCore
@testable import TaizhangLinkage

/// The matching engine both `step: link` and `step: duplicates` use: weights and probabilities as
/// the textbook defines them, and EM finding the m of pairs drawn from a model whose m is known.
@Suite struct FellegiSunterTests {
    @Test func weightsAndProbabilityAreTheTextbooks() {
        // m = 0.9, u = 0.1 agreeing: log2(9) = 3.17; disagreeing: log2(0.1 / 0.9) = −3.17.
        // λ = 0.2: prior log2(0.25) = −2. Agree on both columns: −2 + 6.34 = 4.34 bits → 95.3 %.
        let model = FellegiSunter(m: [[0.1, 0.9], [0.1, 0.9]], u: [[0.9, 0.1], [0.9, 0.1]], lambda: 0.2, iterations: 0)
        #expect(abs(model.weight(0, 1) - 3.1699) < 1e-4 && abs(model.weight(0, 0) + 3.1699) < 1e-4)
        #expect(abs(model.prior + 2) < 1e-12)
        #expect(abs(model.probability([1, 1]) - 0.95294) < 1e-4)
        // An empty column is no evidence: the prior and the other column only.
        #expect(abs(model.matchWeight([1, FellegiSunter.none]) - 1.1699) < 1e-4)
        #expect(FellegiSunter.signed(-3.17) == "−3.2" && FellegiSunter.signed(0.04) == "±0.0" && FellegiSunter.signed(14.25) == "+14.3")
    }

    /// 20,000 candidate pairs, 30 % matches, three columns with known m and u: EM (u given)
    /// finds m within 0.02 and the share of matches within 0.02.
    @Test func emRecoversTheMOfAKnownModel() {
        let m: [[Double]] = [[0.05, 0.15, 0.80], [0.1, 0.9], [0.2, 0.8]]
        let u: [[Double]] = [[0.85, 0.10, 0.05], [0.7, 0.3], [0.6, 0.4]]
        var rng = SplitMix(seed: 42)
        func draw(_ shares: [Double]) -> UInt8 {
            var x = Double(rng.next() % 1_000_000) / 1_000_000
            for (l, p) in shares.enumerated() { if x < p { return UInt8(l) }; x -= p }
            return UInt8(shares.count - 1)
        }
        var gammas: [UInt8] = []
        for _ in 0..<20_000 {
            let match = rng.next() % 10 < 3
            for k in 0..<3 { gammas.append(draw(match ? m[k] : u[k])) }
        }
        let start: [[Double]] = [[0.1, 0.1, 0.8], [0.5, 0.5], [0.5, 0.5]]
        let fit = FellegiSunter.estimate(gammas: gammas, levels: [3, 2, 2], u: u, m0: start, lambda0: 0.1)
        #expect(abs(fit.lambda - 0.3) < 0.02, "λ \(fit.lambda)")
        for k in 0..<3 {
            for l in m[k].indices { #expect(abs(fit.m[k][l] - m[k][l]) < 0.02, "m[\(k)][\(l)] = \(fit.m[k][l]), true \(m[k][l])") }
        }
        // A column left out (`fixed`) keeps its starting m, and the others are still found.
        let without = FellegiSunter.estimate(gammas: gammas, levels: [3, 2, 2], u: u, m0: start, lambda0: 0.1, fixed: [2])
        #expect(without.m[2] == start[2])
        #expect(abs(without.m[0][2] - 0.80) < 0.03)
    }

    /// With a prior worth many pairs and only a few pairs of data, the estimate stays near the
    /// prior; with many, the data wins.
    @Test func thePresetCountsAsPairs() {
        let u: [[Double]] = [[0.9, 0.1]]
        let preset: [[Double]] = [[0.1, 0.9]]
        let fewDisagree = [UInt8](repeating: 0, count: 5)
        let near = FellegiSunter.estimate(gammas: fewDisagree, levels: [2], u: u, m0: preset, lambda0: 0.5, priorPairs: 1000)
        #expect(near.m[0][1] > 0.85)
        let unfixed = FellegiSunter.estimate(gammas: fewDisagree, levels: [2], u: u, m0: preset, lambda0: 0.5, priorPairs: 0)
        #expect(unfixed.m[0][1] < near.m[0][1])
    }
}
