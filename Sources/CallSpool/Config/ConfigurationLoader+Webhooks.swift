import CallSpoolCore
import Foundation
import TOMLKit

extension ConfigurationLoader {
    /// `[webhooks.NAME]` tables, sorted by name; a wrong key or value stops
    /// start-up naming it. A webhook's secret is looked up (daemon only) in
    /// the systemd credential `webhook_secret_NAME`, then `secret_file`,
    /// then `$CALLSPOOL_WEBHOOK_SECRET_<NAME>`; an inline `secret` is refused.
    func readWebhooks(_ root: TOMLTable, file: String, purpose: Purpose) throws(ConfigurationError) -> [WebhookEndpoint] {
        guard let value = root["webhooks"] else { return [] }
        guard let tables = value.table else {
            throw ConfigurationError(file: file, key: "webhooks", message: "must be tables such as [webhooks.crm]")
        }
        var endpoints: [WebhookEndpoint] = []
        for name in tables.keys.sorted() {
            guard let table = tables[name]?.table else {
                throw ConfigurationError(file: file, key: "webhooks.\(name)", message: "must be a table ([webhooks.\(name)]) with url and a secret")
            }
            endpoints.append(try readWebhook(name: name, table: table, file: file, purpose: purpose))
        }
        return endpoints
    }

    /// Where the secret of webhook `name` is looked for: the systemd credential and the environment variable.
    public static func webhookSecretSources(webhook name: String) -> (credential: String, variable: String) {
        ("webhook_secret_\(name)", "CALLSPOOL_WEBHOOK_SECRET_" + name.uppercased().replacingOccurrences(of: "-", with: "_"))
    }

    private func readWebhook(name: String, table: TOMLTable, file: String, purpose: Purpose) throws(ConfigurationError) -> WebhookEndpoint {
        var section = TOMLSection("webhooks.\(name)", table: table, file: file)
        guard !name.isEmpty, name.utf8.count <= 64, name.utf8.allSatisfy({ Self.webhookNameBytes.contains($0) }) else {
            throw ConfigurationError(file: file, key: "webhooks.\(name)", message: "a webhook name is 1–64 characters of a-z, 0-9, '-' and '_'")
        }
        if section.has("secret") {
            let (credential, variable) = Self.webhookSecretSources(webhook: name)
            throw section.error("secret", "a secret is never written in the configuration: use secret_file, $\(variable) or the systemd credential \(credential)")
        }
        guard let urlText = try section.string("url") else {
            throw section.error("url", "is required: the http(s) address events are POSTed to")
        }
        guard let url = URL(string: urlText), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host?.isEmpty == false,
            url.user == nil, url.password == nil
        else {
            throw section.error("url", "must be an http:// or https:// address with a host and without user:password (got a value of \(urlText.utf8.count) bytes)")
        }
        let secretFile = try section.string("secret_file")
        let campaigns = try section.has("campaigns") ? section.stringList("campaigns") : []
        for (index, campaign) in campaigns.enumerated() where campaign.isEmpty || campaign == "*" {
            throw section.error("campaigns[\(index)]", "must name a campaign or a prefix such as \"flu-*\"; leave the list empty for every job")
        }
        var types = Set<JobType>()
        if section.has("types") {
            for (index, typeName) in try section.stringList("types").enumerated() {
                guard let type = JobType(rawValue: typeName) else {
                    throw section.error("types[\(index)]", "must be \"verify\" or \"notify\", got \"\(typeName.prefix(40))\"")
                }
                types.insert(type)
            }
        }
        let clients = try section.has("clients") ? section.stringList("clients") : []
        let maxAge = try section.duration("max_age", default: "24h", min: .seconds(60), max: .seconds(30 * 86_400))
        let timeout = try section.duration("timeout", default: "10s", min: .milliseconds(100), max: .seconds(120))
        try section.finish()
        let secret = try purpose == .daemon ? loadWebhookSecret(webhook: name, file: secretFile, config: file) : ""
        return WebhookEndpoint(
            name: name, url: url, secret: secret, campaigns: campaigns, types: types, clients: clients, maxAge: maxAge, timeout: timeout)
    }

    private static let webhookNameBytes = Set("abcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    private func loadWebhookSecret(webhook name: String, file secretFile: String?, config: String) throws(ConfigurationError) -> String {
        let (credential, variable) = Self.webhookSecretSources(webhook: name)
        return try loadSharedSecret(
            SharedSecretSources(credential: credential, file: secretFile, fileKey: "webhooks.\(name).secret_file", variable: variable),
            noun: "secret", owner: "webhook \(name)", config: config)
    }
}
