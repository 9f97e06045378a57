import Foundation

/// The Fellegi–Sunter model `step: link` fits by EM: per column and level, m (how often a true
/// match agrees at that level) and u (how often two different records do); and the share of
/// matches among the candidates.
struct FellegiSunter {
    let m: [[Double]]
    let u: [[Double]]
    let lambda: Double
    let iterations: Int
    /// log2(m/u) per column and level, worked out once (EM asks for it on every pair).
    private let weights: [[Double]]
    private let prior: Double

    init(m: [[Double]], u: [[Double]], lambda: Double, iterations: Int) {
        self.m = m
        self.u = u
        self.lambda = lambda
        self.iterations = iterations
        weights = zip(m, u).map { zip($0, $1).map { log2($0 / $1) } }
        prior = log2(lambda / (1 - lambda))
    }

    func weight(_ column: Int, _ level: UInt8) -> Double { level == Self.none ? 0 : weights[column][Int(level)] }
    static let none: UInt8 = 0xFF

    func probability(_ gamma: ArraySlice<UInt8>) -> Double {
        var w = prior
        for (k, g) in gamma.enumerated() { w += weight(k, g) }
        return 1 / (1 + pow(2, -w))
    }
}
