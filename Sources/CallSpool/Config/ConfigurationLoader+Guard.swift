import CallSpoolCore
import TOMLKit

extension ConfigurationLoader {
    /// `[guard]`: every key optional; a wrong one stops start-up naming it.
    func readGuard(_ root: TOMLTable, file: String) throws(ConfigurationError) -> Configuration.Guard {
        var section = try TOMLSection("guard", in: root, file: file)
        var rules = Configuration.Guard()
        if section.has("callee_prefixes") {
            let prefixes = try section.stringList("callee_prefixes")
            for (index, prefix) in prefixes.enumerated() {
                let digits = prefix.utf8.dropFirst()
                guard prefix.hasPrefix("+"), (1...15).contains(digits.count), digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                    throw section.error("callee_prefixes[\(index)]", "must be '+' then 1–15 digits (an E.164 prefix such as \"+86\"), got \"\(prefix.prefix(40))\"")
                }
            }
            rules.calleePrefixes = prefixes
        }
        for (key, path) in [("verify_per_callee", \Configuration.Guard.verifyPerCallee), ("verify_per_prefix", \Configuration.Guard.verifyPerPrefix)] {
            guard let text = try section.string(key) else { continue }
            do {
                rules[keyPath: path] = try RateLimit.parse(text)
            } catch {
                throw section.error(key, error.description)
            }
        }
        rules.prefixLength = try section.int("prefix_length", default: 7, range: 1...14)
        rules.maxCallsPerDay = try section.int("max_calls_per_day", default: 0, range: 0...100_000_000)
        rules.suppressVerify = try section.bool("suppress_verify", default: false)
        let scope = try section.string("opt_out_scope", default: "global")
        guard let optOutScope = Configuration.Guard.OptOutScope(rawValue: scope) else {
            throw section.error("opt_out_scope", "must be \"global\" or \"campaign\", got \"\(scope.prefix(40))\"")
        }
        rules.optOutScope = optOutScope
        try section.finish()
        return rules
    }
}
