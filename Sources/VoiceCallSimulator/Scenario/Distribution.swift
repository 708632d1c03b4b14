/// A duration in a scenario: a number (fixed), `{"min": a, "max": b}`
/// (uniform), `{"mean": m}` (exponential) or `{"values": [...]}` (one of them).
public enum Distribution: Codable, Sendable, Hashable {
    case fixed(Double)
    case uniform(min: Double, max: Double)
    case exponential(mean: Double)
    case oneOf([Double])

    private struct Shape: Codable {
        var min: Double?
        var max: Double?
        var mean: Double?
        var values: [Double]?
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Double.self) {
            self = .fixed(value)
            return
        }
        let shape = try container.decode(Shape.self)
        if let low = shape.min, let high = shape.max {
            self = .uniform(min: Swift.min(low, high), max: Swift.max(low, high))
        } else if let mean = shape.mean {
            self = .exponential(mean: mean)
        } else if let values = shape.values, !values.isEmpty {
            self = .oneOf(values)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "a duration is a number, {min,max}, {mean} or {values}")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .fixed(let value): try container.encode(value)
        case .uniform(let low, let high): try container.encode(Shape(min: low, max: high))
        case .exponential(let mean): try container.encode(Shape(mean: mean))
        case .oneOf(let values): try container.encode(Shape(values: values))
        }
    }

    /// A non-negative sample.
    func sample(using random: inout some RandomNumberGenerator) -> Double {
        let value: Double
        switch self {
        case .fixed(let fixed): value = fixed
        case .uniform(let low, let high): value = low == high ? low : Double.random(in: low...high, using: &random)
        case .exponential(let mean):
            let u = Double.random(in: Double.ulpOfOne..<1, using: &random)
            value = -mean * _log(u)
        case .oneOf(let values): value = values.randomElement(using: &random) ?? 0
        }
        return Swift.max(0, value)
    }
}

import Foundation

private func _log(_ x: Double) -> Double { Foundation.log(x) }
