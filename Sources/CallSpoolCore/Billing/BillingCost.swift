/// What billed minutes cost at the configured ``BillingRate``: an exact
/// amount in hundredths of the currency, shown as a decimal string with two
/// decimals ("12.30") so no consumer reads a binary floating-point value.
public struct BillingCost: Sendable, Hashable, Codable {
    /// The amount in hundredths of ``currency`` (rounded half up).
    public var hundredths: Int64
    public var currency: String

    public init(hundredths: Int64, currency: String) {
        self.hundredths = hundredths
        self.currency = currency
    }

    /// The amount with two decimals: "0.24", "12.30".
    public var amount: String { Self.decimalText(hundredths, decimals: 2) }

    /// "12.30 CNY".
    public var text: String { "\(amount) \(currency)" }

    enum CodingKeys: String, CodingKey { case amount, currency }

    /// `{"amount": "12.30", "currency": "CNY"}`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(amount, forKey: .amount)
        try c.encode(currency, forKey: .currency)
    }

    /// Reads what ``encode(to:)`` writes; an amount that is not a
    /// non-negative decimal with at most two decimals is a decoding error.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let amount = try c.decode(String.self, forKey: .amount)
        guard let tenThousandths = BillingRate.tenThousandths(ofPrice: amount), tenThousandths % 100 == 0 else {
            throw DecodingError.dataCorruptedError(forKey: .amount, in: c, debugDescription: "not an amount with two decimals: \(amount)")
        }
        hundredths = tenThousandths / 100
        currency = try c.decode(String.self, forKey: .currency)
    }

    /// `value` scaled down by 10^`decimals`: exactly `decimals` digits after
    /// the point, or (`trimmingZeros`) without trailing zeros nor a bare point.
    static func decimalText(_ value: Int64, decimals: Int, trimmingZeros: Bool = false) -> String {
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let whole = value / scale
        var fraction = String(value % scale)
        fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
        if trimmingZeros {
            while fraction.count > 0, fraction.hasSuffix("0") { fraction.removeLast() }
            return fraction.isEmpty ? String(whole) : "\(whole).\(fraction)"
        }
        return "\(whole).\(fraction)"
    }
}
