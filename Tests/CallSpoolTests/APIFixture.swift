@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolSQLite
import CallSpoolCLI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import VoiceCallAPI

/// An API over an in-memory store with four clients: `shop` (submit,
/// read), `viewer` (read), `ops` (control, read), `burst` (read, 2 a minute).
struct APIFixture {
    static let shopToken = "shop-token-0123456789abcdef"
    static let viewerToken = "viewer-token-0123456789abcdef"
    static let opsToken = "ops-token-0123456789abcdef"
    static let burstToken = "burst-token-0123456789abcdef"
    static let verifyCode = "482913"

    let database: AppDatabase
    let configuration: Configuration
    let keyring: APIKeyring

    init(compare: (@Sendable ([UInt8], [UInt8]) -> Bool)? = nil, guardRules: String = "") throws {
        database = try AppDatabase.inMemory()
        let toml = ConfigurationTests.minimal + "\n" + guardRules + """

            [api]
            listen = "127.0.0.1:0"
            [api.clients.shop]
            scopes = ["submit", "read"]
            [api.clients.viewer]
            scopes = ["read"]
            [api.clients.ops]
            scopes = ["control", "read"]
            [api.clients.burst]
            scopes = ["read"]
            rate = "2/1m"
            """
        configuration = try ConfigurationLoader(environment: [
            "CALLSPOOL_API_TOKEN_SHOP": Self.shopToken, "CALLSPOOL_API_TOKEN_VIEWER": Self.viewerToken, "CALLSPOOL_API_TOKEN_OPS": Self.opsToken,
            "CALLSPOOL_API_TOKEN_BURST": Self.burstToken,
        ]).parse(toml, file: "test.toml", purpose: .daemon)
        let clients = configuration.api.clients
        keyring = compare.map { APIKeyring(clients: clients, compare: $0) } ?? APIKeyring(clients: clients)
    }

    var policy: IntakePolicy {
        var policy = IntakePolicy(
            verifyTTL: configuration.defaults.verifyTTL, notifyTTL: configuration.defaults.notifyTTL, applications: configuration.routes,
            defaultWindow: configuration.defaults.window)
        policy.callGuard = configuration.callGuard
        return policy
    }

    var operations: APIOperations {
        APIOperations(database: database, policy: policy, configuration: configuration, clock: SystemWallClock(), logger: Logger(label: "test"))
    }

    var limits: APIServer.Limits {
        var limits = APIServer.Limits()
        limits.maxBodyBytes = 64 << 10
        limits.bodyTimeout = .seconds(5)
        limits.readTimeout = .seconds(5)
        return limits
    }

    func app(metrics: CallspoolMetrics? = nil, onQueued: @escaping @Sendable () -> Void = {}) throws -> some ApplicationProtocol {
        var operations = operations
        operations.onQueued = onQueued
        return Application(router: try APIServer.router(operations: operations, keyring: keyring, limits: limits, metrics: metrics, logger: Logger(label: "test")))
    }

    static func verifyJob(id: String, code: String = verifyCode, callee: String = "+8613800000001") -> String {
        #"{"type":"verify","id":"\#(id)","calleeNbr":"\#(callee)","verifyCode":"\#(code)","preTone":"p.wav"}"#
    }

    static func headers(token: String?, contentType: String = "application/json") -> HTTPFields {
        var fields = HTTPFields()
        if let token { fields[.authorization] = "Bearer \(token)" }
        fields[.contentType] = contentType
        return fields
    }
}

extension TestClientProtocol {
    /// Sends a request; answers the status and the body's JSON object.
    func call(
        _ method: HTTPRequest.Method, _ uri: String, token: String?, body: String? = nil, contentType: String = "application/json"
    ) async throws -> (status: Int, json: [String: Any], text: String) {
        try await execute(
            uri: uri, method: method, headers: APIFixture.headers(token: token, contentType: contentType), body: body.map { ByteBuffer(string: $0) }
        ) { response in
            let text = String(buffer: response.body)
            let json = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
            return (Int(response.status.code), json, text)
        }
    }
}
