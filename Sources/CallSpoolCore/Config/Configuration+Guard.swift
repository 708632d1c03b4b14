import Foundation

extension Configuration {
    /// `[guard]`: who may be called and how often, beyond the platform's own
    /// limits (which cap nothing per callee).
    ///
    /// Why: a login-code endpoint is an open door to toll fraud and
    /// harassment (a script asking for codes to one number, or to a whole
    /// number range); campaigns must not reach numbers the platform will not
    /// call or people who asked not to be called.
    public struct Guard: Sendable, Equatable {
        /// `callee_prefixes`: a callee must start with one of these
        /// (E.164 prefixes); empty: any number. Default `["+86"]`, the
        /// platform's mainland service area (it refuses international callout).
        public var calleePrefixes: [String] = ["+86"]
        /// `verify_per_callee`: verification calls to one number; nil: off.
        public var verifyPerCallee: RateLimit? = RateLimit(count: 5, window: .seconds(3600))
        /// `verify_per_prefix`: verification calls to one number prefix; nil: off.
        public var verifyPerPrefix: RateLimit? = RateLimit(count: 30, window: .seconds(60))
        /// `prefix_length`: digits after the country code that make a prefix.
        public var prefixLength: Int = 7
        /// `max_calls_per_day`: calls per application per calendar day (in
        /// `[defaults] window`'s time zone); 0: no cap.
        public var maxCallsPerDay: Int = 0
        /// `suppress_verify`: whether the suppression list applies to verify
        /// jobs too. Off by default: a person who opted out of reminders
        /// still needs the login codes they ask for.
        public var suppressVerify: Bool = false
        /// `opt_out_scope`: what a DTMF opt-out suppresses: `"global"` (every
        /// later notify call) or `"campaign"` (that campaign only).
        public var optOutScope: OptOutScope = .global

        public enum OptOutScope: String, Sendable, Equatable, CaseIterable {
            case global, campaign
        }

        public init() {}

        /// Why `number` may not be called by the prefix rule, or nil.
        public func prefixRefusal(_ number: String) -> String? {
            guard !calleePrefixes.isEmpty, !calleePrefixes.contains(where: { number.hasPrefix($0) }) else { return nil }
            return "is outside the allowed callee prefixes \(calleePrefixes.joined(separator: ", ")) ([guard] callee_prefixes)"
        }
    }
}
