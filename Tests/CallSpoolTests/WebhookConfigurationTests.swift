@testable import CallSpool
@testable import CallSpoolCore
import Foundation
import Testing

/// `[webhooks.NAME]`: the secret from the credential, a file or the
/// environment (never inline), filters and bounds, and errors naming file and key.
@Suite struct WebhookConfigurationTests {
    static let secret = "whsec-0123456789abcdef0123456789"

    func load(_ text: String, environment: [String: String] = ["CALLSPOOL_WEBHOOK_SECRET_CRM": secret], purpose: ConfigurationLoader.Purpose = .daemon)
        throws(ConfigurationError) -> Configuration
    {
        try ConfigurationLoader(environment: environment).parse(ConfigurationTests.minimal + "\n" + text, file: "test.toml", purpose: purpose)
    }

    @Test func noneByDefault() throws {
        #expect(try load("").webhooks.isEmpty)
    }

    @Test func aWebhookWithItsFiltersAndBounds() throws {
        let config = try load("""
            [webhooks.crm]
            url = "https://crm.example.com/callspool?k=1"
            campaigns = ["flu-*"]
            types = ["notify"]
            clients = ["shop"]
            max_age = "2h"
            timeout = "3s"
            """)
        let webhook = try #require(config.webhooks.first)
        #expect(webhook.name == "crm" && webhook.url.absoluteString == "https://crm.example.com/callspool?k=1")
        #expect(webhook.secret == Self.secret)
        #expect(webhook.campaigns == ["flu-*"] && webhook.types == [.notify] && webhook.clients == ["shop"])
        #expect(webhook.maxAge == .seconds(7_200) && webhook.timeout == .seconds(3))
        #expect(!"\(webhook)".contains(Self.secret))
    }

    @Test func defaultsAndTheCredentialFirst() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("callspool-hook-cred-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "credential-secret-0123456789\n".write(toFile: directory + "/webhook_secret_crm", atomically: true, encoding: .utf8)
        let config = try load(
            "[webhooks.crm]\nurl = \"http://10.0.0.5:8080/hook\"", environment: ["CREDENTIALS_DIRECTORY": directory, "CALLSPOOL_WEBHOOK_SECRET_CRM": Self.secret])
        let webhook = try #require(config.webhooks.first)
        #expect(webhook.secret == "credential-secret-0123456789")
        #expect(webhook.maxAge == .seconds(86_400) && webhook.timeout == .seconds(10) && webhook.campaigns.isEmpty && webhook.types.isEmpty)
    }

    @Test func theCLINeedsNoSecret() throws {
        #expect(try load("[webhooks.crm]\nurl = \"http://10.0.0.5/hook\"", environment: [:], purpose: .cli).webhooks.first?.secret == "")
    }

    @Test(arguments: [
        ("[webhooks.crm]\nsecret = \"whsec-0123456789abcdef\"\nurl = \"http://a/b\"", "webhooks.crm.secret"),
        ("[webhooks.crm]\ncampaigns = []", "webhooks.crm.url"),
        ("[webhooks.crm]\nurl = \"ftp://a/b\"", "webhooks.crm.url"),
        ("[webhooks.crm]\nurl = \"https://user:pw@a/b\"", "webhooks.crm.url"),
        ("[webhooks.crm]\nurl = \"http://a/b\"\ntypes = [\"sms\"]", "webhooks.crm.types[0]"),
        ("[webhooks.crm]\nurl = \"http://a/b\"\ncampaigns = [\"*\"]", "webhooks.crm.campaigns[0]"),
        ("[webhooks.crm]\nurl = \"http://a/b\"\nmax_age = \"10s\"", "webhooks.crm.max_age"),
        ("[webhooks.crm]\nurl = \"http://a/b\"\ntimeout = \"10m\"", "webhooks.crm.timeout"),
        ("[webhooks.crm]\nurl = \"http://a/b\"\nretries = 3", "webhooks.crm.retries"),
        ("[webhooks.Bad]\nurl = \"http://a/b\"", "webhooks.Bad"),
        ("[webhooks]\nurl = \"http://a/b\"", "webhooks.url"),
        ("[webhooks.other]\nurl = \"http://a/b\"", "webhooks.other.secret_file"),
    ])
    func aMistakeStopsStartUpNamingTheKey(_ text: String, key: String) {
        do {
            _ = try load(text)
            Issue.record("\(text) was accepted")
        } catch {
            #expect(error.key == key, "\(error)")
            #expect(error.file == "test.toml")
        }
    }

    @Test func aShortSecretIsRefused() {
        do {
            _ = try load("[webhooks.crm]\nurl = \"http://a/b\"", environment: ["CALLSPOOL_WEBHOOK_SECRET_CRM": "short"])
            Issue.record("a short secret was accepted")
        } catch {
            #expect("\(error)".contains("openssl rand"))
        }
    }

    @Test func changingAWebhookNeedsARestart() throws {
        let old = try load("")
        let new = try load("[webhooks.crm]\nurl = \"http://a/b\"")
        let changes = ConfigurationChanges(from: old, to: new)
        #expect(changes.refused == ["webhooks"])
    }
}
