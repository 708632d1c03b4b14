@testable import CallSpool
@testable import CallSpoolCore
import Foundation
import Testing

/// `[api]` and `[api.clients.NAME]`: tokens from the credential, a file or
/// the environment (never inline), scopes, and errors naming file and key.
@Suite struct APIConfigurationTests {
    static let token = "0123456789abcdef0123456789abcdef"

    func load(_ api: String, environment: [String: String] = ["CALLSPOOL_API_TOKEN_SHOP": token]) throws(ConfigurationError) -> Configuration {
        try ConfigurationLoader(environment: environment).parse(ConfigurationTests.minimal + "\n" + api, file: "test.toml", purpose: .daemon)
    }

    @Test func offByDefault() throws {
        let config = try load("")
        #expect(config.api.listen == nil)
        #expect(config.api.clients.isEmpty)
    }

    @Test func aClientTakesItsTokenFromTheEnvironment() throws {
        let config = try load("""
            [api]
            listen = "127.0.0.1:8081"
            [api.clients.shop]
            scopes = ["submit", "read"]
            types = ["verify"]
            rate = "50/1s"
            """)
        #expect(config.api.listen == ListenAddress(host: "127.0.0.1", port: 8081))
        let client = try #require(config.api.clients.first)
        #expect(client.name == "shop")
        #expect(client.token == Self.token)
        #expect(client.scopes == [.submit, .read])
        #expect(client.types == [.verify])
        #expect(client.rate == RateLimit(count: 50, window: .seconds(1)))
        #expect(!"\(client)".contains(Self.token), "a client never shows its token")
    }

    @Test func theSystemdCredentialWinsOverTheEnvironment() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("callspool-api-cred-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "credential-token-0123456789\n".write(toFile: directory + "/api_token_shop", atomically: true, encoding: .utf8)
        let config = try load(
            "[api.clients.shop]\nscopes = [\"read\"]", environment: ["CREDENTIALS_DIRECTORY": directory, "CALLSPOOL_API_TOKEN_SHOP": Self.token])
        #expect(config.api.clients.first?.token == "credential-token-0123456789")
    }

    @Test(arguments: [
        ("[api]\nlisten = \"nowhere\"", "api.listen"),
        ("[api]\nport = 1", "api.port"),
        ("[api.clients.shop]\nscopes = [\"write\"]", "api.clients.shop.scopes[0]"),
        ("[api.clients.shop]\nscopes = []", "api.clients.shop.scopes"),
        ("[api.clients.shop]\nscopes = [\"read\"]\ntoken = \"0123456789abcdef0123\"", "api.clients.shop.token"),
        ("[api.clients.shop]\nscopes = [\"read\"]\ntypes = [\"sms\"]", "api.clients.shop.types[0]"),
        ("[api.clients.shop]\nscopes = [\"read\"]\nrate = \"fast\"", "api.clients.shop.rate"),
        ("[api.clients.shop]\nscopes = [\"read\"]\nscope = [\"read\"]", "api.clients.shop.scope"),
        ("[api.clients.other]\nscopes = [\"read\"]", "api.clients.other.token_file"),
    ])
    func aWrongKeyOrValueStopsStartUpNamingIt(_ api: String, key: String) throws {
        do {
            _ = try load(api)
            Issue.record("\(api) was accepted")
        } catch {
            #expect(error.key == key, "\(error)")
            #expect(error.file == "test.toml")
        }
    }

    @Test func aShortTokenIsRefused() throws {
        #expect(throws: ConfigurationError.self) {
            try load("[api.clients.shop]\nscopes = [\"read\"]", environment: ["CALLSPOOL_API_TOKEN_SHOP": "short"])
        }
    }
}
