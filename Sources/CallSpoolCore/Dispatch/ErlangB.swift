/// The Erlang-B formula: the probability that a call finds all `servers`
/// busy when `load` erlangs are offered (arrival rate × mean holding time),
/// computed with the numerically stable recursion
/// B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)).
enum ErlangB {
    static func blocking(servers: Int, load: Double) -> Double {
        guard load > 0 else { return servers > 0 ? 0 : 1 }
        var b = 1.0
        if servers > 0 {
            for n in 1...servers { b = load * b / (Double(n) + load * b) }
        }
        return b
    }

    /// The fewest servers, at least `minimum`, whose blocking is ≤ `target`
    /// (bounded by `ceiling`, returned when even it blocks more).
    static func servers(for load: Double, blocking target: Double, minimum: Int = 1, ceiling: Int) -> Int {
        var n = max(0, minimum)
        while n < ceiling, blocking(servers: n, load: load) > target { n += 1 }
        return min(n, max(ceiling, minimum))
    }
}
