/// `[billing]`: the price of one billed minute and its currency, to show what
/// calls cost next to their billed minutes.
///
/// Exists so that every view computes a cost the same way, without binary
/// floating point: the price is kept in ten-thousandths of the currency unit
/// (`price_per_minute` takes at most 4 decimals) and a cost is computed in
/// integers, then rounded half up to hundredths (two decimals, the minor unit
/// of CNY, USD and EUR). A price of 0 (the default) means "no price": views
/// show minutes only.
public struct BillingRate: Sendable, Hashable {
    /// The price of one minute in ten-thousandths of ``currency`` (0.12 → 1200).
    public var pricePerMinuteTenThousandths: Int64
    /// An ISO 4217 code of three upper-case letters ("CNY").
    public var currency: String

    /// The highest price accepted, in currency units per minute.
    public static let maxPricePerMinute: Int64 = 1_000_000
    /// No price, in CNY: the default.
    public static let unpriced = BillingRate(pricePerMinuteTenThousandths: 0, currency: "CNY")

    public init(pricePerMinuteTenThousandths: Int64, currency: String) {
        self.pricePerMinuteTenThousandths = pricePerMinuteTenThousandths
        self.currency = currency
    }

    /// Whether a price is set (views show a cost only then).
    public var isPriced: Bool { pricePerMinuteTenThousandths > 0 }

    /// The cost of `minutes`, or nil without a price.
    public func cost(minutes: Int) -> BillingCost? {
        guard isPriced else { return nil }
        let tenThousandths = Int64(max(0, minutes)).multipliedReportingOverflow(by: pricePerMinuteTenThousandths)
        let hundredths = tenThousandths.overflow ? Int64.max / 100 : (tenThousandths.partialValue + 50) / 100
        return BillingCost(hundredths: hundredths, currency: currency)
    }

    /// The price as `price_per_minute` reads it back ("0.12", "1").
    public var pricePerMinuteText: String { BillingCost.decimalText(pricePerMinuteTenThousandths, decimals: 4, trimmingZeros: true) }

    /// Parses a price in currency units: digits with at most 4 decimals
    /// ("0.12", "3", "0.0833"), from 0 to ``maxPricePerMinute``; nil otherwise.
    public static func tenThousandths(ofPrice text: String) -> Int64? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count > 1 ? parts[1] : ""
        guard !whole.isEmpty || !fraction.isEmpty, whole.count <= 7, fraction.count <= 4, parts.count == 1 || !fraction.isEmpty,
            whole.allSatisfy(\.isASCIIDigit), fraction.allSatisfy(\.isASCIIDigit)
        else { return nil }
        let units = Int64(whole) ?? 0
        let padded = fraction + String(repeating: "0", count: 4 - fraction.count)
        let value = units * 10_000 + (Int64(padded) ?? 0)
        return value <= maxPricePerMinute * 10_000 ? value : nil
    }

    /// Whether `code` looks like an ISO 4217 code: three ASCII upper-case letters.
    public static func isCurrencyCode(_ code: String) -> Bool {
        code.utf8.count == 3 && code.utf8.allSatisfy { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
