import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import VoiceCallAPI

/// The callback URLs (the platform's rules and reachability) against the
/// receiver's listen address and where the platform is, and the display
/// numbers.
extension ConfigDoctor {
    /// The applications whose platform (`base_url`) is not on this host:
    /// only they need callback URLs reachable from elsewhere. A `base_url` on
    /// loopback is a simulator or a local proxy to the platform, which
    /// reaches a loopback `status_url` fine.
    static func remotePlatforms(_ applications: [Configuration.Application]) -> [Configuration.Application] {
        applications.filter { application in
            guard let host = URLComponents(string: application.baseURL)?.host, !host.isEmpty else { return true }
            return !LoopbackHost.contains(host)
        }
    }

    /// - Parameter applications: where callbacks come from: loopback
    ///   callback URLs are a problem only when some application's platform
    ///   is off this host.
    func callbackItems(_ callbacks: Configuration.Callbacks, applications: [Configuration.Application]) -> [CheckItem] {
        var items: [CheckItem] = []
        let remote = Self.remotePlatforms(applications)
        let named = applications.count > 1 ? " (" + remote.map(\.name).joined(separator: ", ") + ")" : ""
        for (field, url) in [("status_url", callbacks.statusURL), ("fee_url", callbacks.feeURL)] {
            if let issue = CallbackURL.check(url.string, field: field) {
                items.append(CheckItem("callbacks", .problem, "\(field): \(issue.rule)"))
                continue
            }
            guard let parts = URLComponents(string: url.string), let host = parts.host, !host.isEmpty else {
                items.append(CheckItem("callbacks", .problem, "\(field) \(url) has no host"))
                continue
            }
            if Self.isLoopback(host) {
                if !remote.isEmpty {
                    items.append(CheckItem(
                        "callbacks", .problem,
                        "\(field) \(url) points at this machine's loopback; the platform at \(remote[0].baseURL)\(named) is not on this host and cannot reach it, use the public name of your receiver or proxy"))
                    continue
                }
            }
            if Self.isPrivate(host) {
                items.append(CheckItem("callbacks", .warning, "\(field) \(url) is a private address; the platform reaches it only through a VPN or NAT"))
            }
            let https = parts.scheme == "https"
            let port = parts.port ?? (https ? 443 : 80)
            if https {
                // The receiver speaks plain HTTP: TLS ends at a proxy, which forwards to listen.
                continue
            }
            if port != callbacks.listen.port {
                items.append(CheckItem("callbacks", .warning, "\(field) \(url) is port \(port) but the receiver listens on \(callbacks.listen); something (a proxy or NAT) must forward \(port) to \(callbacks.listen.port)"))
            }
        }
        if Self.isLoopback(callbacks.listen.host), !remote.isEmpty {
            items.append(CheckItem("callbacks", .warning, "the receiver listens on \(callbacks.listen) (loopback only): a reverse proxy on this host must forward the platform's callbacks to it"))
        }
        if !callbacks.verifySignatures {
            items.append(CheckItem("callbacks", .warning, "verify_signatures = false: anyone who reaches the receiver can forge outcomes and digits"))
        }
        if !items.contains(where: { $0.status == .problem }) {
            items.insert(CheckItem("callbacks", .ok, "status_url \(callbacks.statusURL) and fee_url \(callbacks.feeURL) meet the platform's rules; receiver on \(callbacks.listen)"), at: 0)
        }
        return items
    }

    /// An application's display number pool (`application` nil: the single
    /// application of a configuration without `[apps]`).
    func displayNumbersItem(_ numbers: [String], application: String? = nil) -> CheckItem {
        let name = application.map { "display_numbers (\($0))" } ?? "display_numbers"
        let key = application.map { "apps.\($0).display_numbers" } ?? "defaults.display_numbers"
        if numbers.isEmpty {
            return CheckItem(name, .warning, "\(key) is empty: every job must name its display number")
        }
        let issues = numbers.enumerated().compactMap { FieldRules.phone($0.element, field: "display_numbers[\($0.offset)]") }
        if let issue = issues.first { return CheckItem(name, .problem, "\(issue.field): \(issue.rule)") }
        if Set(numbers).count != numbers.count { return CheckItem(name, .warning, "\(key) lists a number twice") }
        return CheckItem(name, .ok, "\(numbers.count) well formed: \(numbers.map(PhoneMask.mask).joined(separator: ", "))")
    }

    static func isLoopback(_ host: String) -> Bool {
        LoopbackHost.contains(host)
    }

    static func isPrivate(_ host: String) -> Bool {
        let octets = host.split(separator: ".").compactMap { Int($0) }
        guard octets.count == 4 else { return false }
        return octets[0] == 10 || (octets[0] == 172 && (16...31).contains(octets[1])) || (octets[0] == 192 && octets[1] == 168)
    }
}
