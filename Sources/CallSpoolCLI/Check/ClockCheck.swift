import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import AsyncHTTPClient
import Foundation
import NIOCore

/// Compares this machine's clock with the platform's `Date` header.
///
/// The platform refuses signed requests whose `Created` time is more than 15
/// minutes off (resultcode 1010013), so a drifting clock stops every call.
/// One unauthenticated `GET` of `base_url` (whatever its status, the answer
/// carries a `Date`), bounded by a timeout; an unreachable platform is a
/// warning, not a failure, since the daemon retries on its own.
public struct ClockCheck: Sendable {
    /// The platform's tolerance.
    public static let limit: TimeInterval = 15 * 60
    /// Worth a warning: a third of the tolerance already spent.
    public static let warnAbove: TimeInterval = 5 * 60

    public var timeout: Duration
    /// This machine's clock (tests shift it).
    public var now: @Sendable () -> Date

    public init(timeout: Duration = .seconds(5), now: @escaping @Sendable () -> Date = { Date() }) {
        self.timeout = timeout
        self.now = now
    }

    public func check(baseURL: String, timeout requestTimeout: Duration) async -> CheckItem {
        let bound = min(timeout, requestTimeout)
        let before = now()
        let header: String
        do {
            guard let value = try await fetchDate(baseURL, timeout: bound) else {
                return CheckItem("clock", .warning, "\(baseURL) answered without a Date header; cannot compare clocks (keep this machine on NTP)")
            }
            header = value
        } catch {
            return CheckItem("clock", .warning, "could not reach \(baseURL) within \(bound) to compare clocks (\(Self.describe(error))); the daemon retries on its own")
        }
        let after = now()
        guard let platform = Self.parseHTTPDate(header) else {
            return CheckItem("clock", .warning, "\(baseURL) sent an unreadable Date header \"\(header)\"")
        }
        let local = before.addingTimeInterval(after.timeIntervalSince(before) / 2)
        let offset = local.timeIntervalSince(platform)
        let text = "this machine is \(Int(abs(offset).rounded())) s \(offset >= 0 ? "ahead of" : "behind") the platform (\(header))"
        if abs(offset) > Self.limit {
            return CheckItem("clock", .problem, "\(text): more than 15 minutes, the platform refuses every request (1010013); fix the clock (timedatectl set-ntp true)")
        }
        if abs(offset) > Self.warnAbove {
            return CheckItem("clock", .warning, "\(text); the platform refuses requests beyond 15 minutes, enable NTP")
        }
        return CheckItem("clock", .ok, text)
    }

    /// The `Date` header of an unauthenticated GET, redirects not followed.
    func fetchDate(_ url: String, timeout: Duration) async throws -> String? {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.timeout = .init(connect: .nanoseconds(timeout.nanoseconds), read: .nanoseconds(timeout.nanoseconds))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            var request = HTTPClientRequest(url: url)
            request.method = .GET
            request.headers.add(name: "User-Agent", value: "callspool-check")
            let response = try await client.execute(request, timeout: .nanoseconds(timeout.nanoseconds))
            let date = response.headers.first(name: "Date")
            try? await client.shutdown()
            return date
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return "\(error)" }
        return String(describing: error)
    }

    /// RFC 9110 IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
    public static func parseHTTPDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.date(from: text.trimmingCharacters(in: .whitespaces))
    }
}

extension Duration {
    /// Whole nanoseconds (saturating).
    var nanoseconds: Int64 {
        let parts = components
        let (product, overflow) = parts.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : product + parts.attoseconds / 1_000_000_000
    }
}
