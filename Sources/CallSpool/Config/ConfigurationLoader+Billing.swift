import CallSpoolCore
import TOMLKit

extension ConfigurationLoader {
    /// `[billing]`: `price_per_minute` (a number or a decimal string with at
    /// most 4 decimals, 0 = no price) and `currency` (ISO 4217, default CNY).
    func readBilling(_ root: TOMLTable, file: String) throws(ConfigurationError) -> BillingRate {
        var section = try TOMLSection("billing", in: root, file: file)
        let price = try section.decimalText("price_per_minute") ?? "0"
        let currency = try section.string("currency", default: BillingRate.unpriced.currency)
        try section.finish()
        guard let tenThousandths = BillingRate.tenThousandths(ofPrice: price) else {
            throw section.error(
                "price_per_minute",
                "must be a price per billed minute from 0 to \(BillingRate.maxPricePerMinute) with at most 4 decimals, such as 0.12 (0: no price), got \(price)")
        }
        guard BillingRate.isCurrencyCode(currency) else {
            throw section.error("currency", "must be an ISO 4217 code of three upper-case letters such as \"CNY\" or \"USD\", got \"\(currency)\"")
        }
        return BillingRate(pricePerMinuteTenThousandths: tenThousandths, currency: currency)
    }
}
