/// A schema's `pattern` matched on a cell's UTF-8 bytes, for the common subset of regular
/// expressions ledgers use (`[0-9]{17}[0-9X]`, `1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}`): literals,
/// `.`, classes with ranges and negation, `\d \w \s` and their negations, groups `( )` `(?: )`,
/// alternation, `? * + {n} {n,} {n,m}`. It is compiled once to an automaton (Thompson's
/// construction) and run in linear time without making a String — NSRegularExpression converts
/// every cell to UTF-16 and costs more than the rest of the validation together.
///
/// `init` returns nil for anything else (anchors, back-references, look-around, lazy quantifiers,
/// non-ASCII in the pattern), and `matches` returns nil for a non-ASCII value: the caller falls
/// back to NSRegularExpression there, so results are always NSRegularExpression's (tested).
struct BytePattern {
    private enum State {
        case bytes(Int, next: Int)        // a set of bytes (index into `sets`)
        case split(Int, Int)
        case match
    }

    private var states: [State] = []
    private var sets: [[Bool]] = []
    private var start = 0

    private static let maxStates = 4096

    init?(_ pattern: String) {
        let p = Array(pattern.utf8)
        guard p.allSatisfy({ $0 < 0x80 }) else { return nil }
        var parser = Parser(p: p)
        guard let ast = parser.alternation(), parser.i == p.count else { return nil }
        states.append(.match)
        guard let s = compile(ast, then: 0) else { return nil }
        start = s
        if states.count <= 64 { buildBitTables() }
    }

    // MARK: Bit-parallel tables (automata of up to 64 states: every pattern ledgers use)

    /// Per state: the states reachable from it without reading (itself included), as a bit set.
    private var closure: [UInt64] = []
    /// Per state and byte: the closure of where reading that byte leads (0 when it cannot).
    private var step: [UInt64] = []
    private var matchBits: UInt64 = 0

    private mutating func buildBitTables() {
        closure = states.indices.map { s in
            var mask: UInt64 = 0
            var stack = [s]
            while let t = stack.popLast() {
                if mask & (1 << UInt64(t)) != 0 { continue }
                mask |= 1 << UInt64(t)
                if case .split(let a, let b) = states[t] { stack.append(a); stack.append(b) }
            }
            return mask
        }
        step = [UInt64](repeating: 0, count: states.count * 128)
        for (k, st) in states.enumerated() {
            if case .bytes(let set, let n) = st {
                for b in 0..<128 where sets[set][b] { step[k * 128 + b] = closure[n] }
            }
            if case .match = st { matchBits |= 1 << UInt64(k) }
        }
    }

    // MARK: Parsing

    private indirect enum Node {
        case set([Bool])
        case sequence([Node])
        case alternation([Node])
        case repeated(Node, min: Int, max: Int?)   // max nil: unbounded
    }

    private struct Parser {
        let p: [UInt8]
        var i = 0

        mutating func alternation() -> Node? {
            var branches: [Node] = []
            while true {
                guard let s = sequence() else { return nil }
                branches.append(s)
                if i < p.count, p[i] == UInt8(ascii: "|") { i += 1; continue }
                break
            }
            return branches.count == 1 ? branches[0] : .alternation(branches)
        }

        mutating func sequence() -> Node? {
            var items: [Node] = []
            while i < p.count, p[i] != UInt8(ascii: "|"), p[i] != UInt8(ascii: ")") {
                guard var atom = atom() else { return nil }
                if i < p.count {
                    var q: (Int, Int?)?
                    switch p[i] {
                    case UInt8(ascii: "?"): q = (0, 1); i += 1
                    case UInt8(ascii: "*"): q = (0, nil); i += 1
                    case UInt8(ascii: "+"): q = (1, nil); i += 1
                    case UInt8(ascii: "{"):
                        guard let b = braces() else { return nil }
                        q = b
                    default: break
                    }
                    if let (lo, hi) = q {
                        // A lazy or possessive quantifier, or a quantifier on a quantifier: not ours.
                        if i < p.count, [UInt8(ascii: "?"), UInt8(ascii: "+"), UInt8(ascii: "*"), UInt8(ascii: "{")].contains(p[i]) { return nil }
                        atom = .repeated(atom, min: lo, max: hi)
                    }
                }
                items.append(atom)
            }
            return .sequence(items)
        }

        mutating func braces() -> (Int, Int?)? {
            i += 1
            func number() -> Int? {
                var n = 0, digits = 0
                while i < p.count, p[i] >= 0x30, p[i] <= 0x39, digits < 5 { n = n * 10 + Int(p[i] - 0x30); i += 1; digits += 1 }
                return digits > 0 ? n : nil
            }
            guard let lo = number() else { return nil }
            var hi: Int? = lo
            if i < p.count, p[i] == UInt8(ascii: ",") {
                i += 1
                hi = number()
            }
            guard i < p.count, p[i] == UInt8(ascii: "}") else { return nil }
            i += 1
            if let hi, hi < lo { return nil }
            return (lo, hi)
        }

        mutating func atom() -> Node? {
            let c = p[i]
            i += 1
            switch c {
            case UInt8(ascii: "("):
                if i + 1 < p.count, p[i] == UInt8(ascii: "?") {
                    guard p[i + 1] == UInt8(ascii: ":") else { return nil }
                    i += 2
                }
                guard let inner = alternation(), i < p.count, p[i] == UInt8(ascii: ")") else { return nil }
                i += 1
                return inner
            case UInt8(ascii: "["): return bracket()
            case UInt8(ascii: "\\"): return escape(inClass: false).map { .set($0) }
            case UInt8(ascii: "."):
                var s = [Bool](repeating: true, count: 128)
                s[0x0A] = false
                return .set(s)
            case UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: ")"), UInt8(ascii: "?"), UInt8(ascii: "*"),
                 UInt8(ascii: "+"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "]"):
                return nil
            default:
                return .set(Self.single(c))
            }
        }

        static func single(_ c: UInt8) -> [Bool] {
            var s = [Bool](repeating: false, count: 128)
            s[Int(c)] = true
            return s
        }

        static func set(_ predicate: (UInt8) -> Bool) -> [Bool] { (0..<128).map { predicate(UInt8($0)) } }

        /// `\d \w \s`, their negations, and escaped punctuation; nil for anything else.
        mutating func escape(inClass: Bool) -> [Bool]? {
            guard i < p.count else { return nil }
            let c = p[i]
            i += 1
            let digit: (UInt8) -> Bool = { $0 >= 0x30 && $0 <= 0x39 }
            let word: (UInt8) -> Bool = { digit($0) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }
            let space: (UInt8) -> Bool = { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) }
            switch c {
            case UInt8(ascii: "d"): return Self.set(digit)
            case UInt8(ascii: "D"): return Self.set { !digit($0) }
            case UInt8(ascii: "w"): return Self.set(word)
            case UInt8(ascii: "W"): return Self.set { !word($0) }
            case UInt8(ascii: "s"): return Self.set(space)
            case UInt8(ascii: "S"): return Self.set { !space($0) }
            default:
                // Only punctuation escapes mean the character itself (\. \- \+ \( …).
                let punctuation = (0x21...0x2F).contains(c) || (0x3A...0x40).contains(c) || (0x5B...0x60).contains(c) || (0x7B...0x7E).contains(c)
                return punctuation ? Self.single(c) : nil
            }
        }

        mutating func bracket() -> Node? {
            var s = [Bool](repeating: false, count: 128)
            var negate = false
            if i < p.count, p[i] == UInt8(ascii: "^") { negate = true; i += 1 }
            var first = true
            while i < p.count, p[i] != UInt8(ascii: "]") || first {
                // A ']' first, '[' anywhere (ICU nests sets), '&&' or '--' (ICU operators): not ours.
                if p[i] == UInt8(ascii: "]") || p[i] == UInt8(ascii: "[") { return nil }
                if i + 1 < p.count, (p[i] == UInt8(ascii: "&") && p[i + 1] == UInt8(ascii: "&")) || (p[i] == UInt8(ascii: "-") && p[i + 1] == UInt8(ascii: "-")) { return nil }
                first = false
                var lo: UInt8
                if p[i] == UInt8(ascii: "\\") {
                    i += 1
                    guard let e = escape(inClass: true) else { return nil }
                    if e.filter({ $0 }).count != 1 {           // \d, \w … inside a class
                        for k in 0..<128 where e[k] { s[k] = true }
                        continue
                    }
                    lo = UInt8(e.firstIndex(of: true)!)
                } else {
                    lo = p[i]
                    i += 1
                }
                if i + 1 < p.count, p[i] == UInt8(ascii: "-"), p[i + 1] != UInt8(ascii: "]") {
                    i += 1
                    var hi: UInt8
                    if p[i] == UInt8(ascii: "\\") {
                        i += 1
                        guard let e = escape(inClass: true), e.filter({ $0 }).count == 1 else { return nil }
                        hi = UInt8(e.firstIndex(of: true)!)
                    } else {
                        hi = p[i]
                        i += 1
                    }
                    guard lo <= hi else { return nil }
                    for k in lo...hi { s[Int(k)] = true }
                } else {
                    s[Int(lo)] = true
                }
            }
            guard i < p.count, p[i] == UInt8(ascii: "]") else { return nil }
            i += 1
            return .set(negate ? s.map { !$0 } : s)
        }
    }

    // MARK: Compiling (states are built back to front: each knows where it goes next)

    private mutating func add(_ s: State) -> Int? {
        guard states.count < Self.maxStates else { return nil }
        states.append(s)
        return states.count - 1
    }

    private mutating func compile(_ node: Node, then next: Int) -> Int? {
        switch node {
        case .set(let s):
            sets.append(s)
            return add(.bytes(sets.count - 1, next: next))
        case .sequence(let items):
            var n = next
            for item in items.reversed() {
                guard let s = compile(item, then: n) else { return nil }
                n = s
            }
            return n
        case .alternation(let branches):
            var starts: [Int] = []
            for b in branches {
                guard let s = compile(b, then: next) else { return nil }
                starts.append(s)
            }
            var n = starts.last!
            for s in starts.dropLast().reversed() {
                guard let k = add(.split(s, n)) else { return nil }
                n = k
            }
            return n
        case .repeated(let inner, let lo, let hi):
            var n = next
            if let hi {
                // The optional copies, built back to front: each either takes the body (going on to
                // the later copies) or skips straight to `next`. x{2,4} = x x (x (x)?)?
                for _ in 0..<(hi - lo) {
                    guard let body = compile(inner, then: n), let k = add(.split(body, next)) else { return nil }
                    n = k
                }
            } else {
                // x* : a loop state that either enters the body (which returns to it) or leaves.
                guard let loop = add(.split(0, next)) else { return nil }
                guard let body = compile(inner, then: loop) else { return nil }
                states[loop] = .split(body, next)
                n = loop
            }
            for _ in 0..<lo {
                guard let s = compile(inner, then: n) else { return nil }
                n = s
            }
            return n
        }
    }

    // MARK: Matching

    /// Whether the whole value matches; nil when the value is not ASCII (the caller decides then).
    func matches(_ v: UnsafeBufferPointer<UInt8>) -> Bool? {
        if !closure.isEmpty {
            var current = closure[start]
            for byte in v {
                guard byte < 0x80 else { return nil }
                var next: UInt64 = 0
                var bits = current
                while bits != 0 {
                    let k = bits.trailingZeroBitCount
                    bits &= bits - 1
                    next |= step[k &* 128 &+ Int(byte)]
                }
                if next == 0 { return false }
                current = next
            }
            return current & matchBits != 0
        }
        var current: [Int] = []
        var nextList: [Int] = []
        var mark = [Int](repeating: -1, count: states.count)
        current.reserveCapacity(states.count)
        nextList.reserveCapacity(states.count)
        var generation = 0
        func addState(_ s: Int, _ list: inout [Int]) {
            var stack = [s]
            while let t = stack.popLast() {
                if mark[t] == generation { continue }
                mark[t] = generation
                switch states[t] {
                case .split(let a, let b): stack.append(b); stack.append(a)
                default: list.append(t)
                }
            }
        }
        addState(start, &current)
        for byte in v {
            guard byte < 0x80 else { return nil }
            generation += 1
            nextList.removeAll(keepingCapacity: true)
            for s in current {
                if case .bytes(let set, let n) = states[s], sets[set][Int(byte)] { addState(n, &nextList) }
            }
            swap(&current, &nextList)
            if current.isEmpty { return false }
        }
        return current.contains { if case .match = states[$0] { return true } else { return false } }
    }
}
