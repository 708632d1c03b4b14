/// A callee's outcome in a scenario: one fixed outcome (`"busy"`) or weights
/// to draw from (`{"answer": 0.8, "noAnswer": 0.2}`).
public enum OutcomeChoice: Codable, Sendable, Hashable {
    case fixed(CallOutcome)
    case weighted([CallOutcome: Double])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let outcome = try? container.decode(CallOutcome.self) {
            self = .fixed(outcome)
            return
        }
        let raw = try container.decode([String: Double].self)
        var weights: [CallOutcome: Double] = [:]
        for (key, weight) in raw {
            guard let outcome = CallOutcome(rawValue: key) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "unknown outcome '\(key)'; use one of \(CallOutcome.allCases.map(\.rawValue))")
            }
            weights[outcome] = max(0, weight)
        }
        self = .weighted(weights)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .fixed(let outcome): try container.encode(outcome)
        case .weighted(let weights):
            try container.encode(Dictionary(uniqueKeysWithValues: weights.map { ($0.key.rawValue, $0.value) }))
        }
    }

    /// Draws an outcome; an empty or all-zero weight table answers.
    func draw(using random: inout some RandomNumberGenerator) -> CallOutcome {
        switch self {
        case .fixed(let outcome): return outcome
        case .weighted(let weights):
            let ordered = CallOutcome.allCases.compactMap { outcome in weights[outcome].map { (outcome, $0) } }
            let total = ordered.reduce(0) { $0 + $1.1 }
            guard total > 0 else { return .answer }
            var point = Double.random(in: 0..<total, using: &random)
            for (outcome, weight) in ordered {
                if point < weight { return outcome }
                point -= weight
            }
            return ordered.last?.0 ?? .answer
        }
    }
}
