import AsyncHTTPClient
import CallSpoolCLI
@testable import CallSpool
@testable import CallSpoolCore
import Foundation
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import Testing

/// `[api] tls_cert` / `tls_key`: the API speaks HTTPS with the operator's
/// certificate, a wrong pair stops start-up naming the key, and plain HTTP
/// to the TLS port gets no answer.
@Suite struct APITLSTests {
    /// A self-signed certificate for 127.0.0.1 made with the openssl tool, in `directory`.
    static func makeCertificate(in directory: String, name: String = "api") throws -> (certificate: String, key: String) {
        let certificate = directory + "/\(name).crt", key = directory + "/\(name).key"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        chmod(key, 0o600)
        return (certificate, key)
    }

    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("callspool-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func load(_ api: String) throws(ConfigurationError) -> Configuration {
        try ConfigurationLoader(environment: ["CALLSPOOL_API_TOKEN_SHOP": APIFixture.shopToken])
            .parse(ConfigurationTests.minimal + "\n" + api, file: "test.toml", purpose: .daemon)
    }

    /// Where the server under test accepts: an address it binds, or a
    /// socket handed over as systemd does (``ListenedSocketServer``).
    enum ListenerKind: String, CaseIterable, Sendable { case bound, passedBySystemd }

    @Test(.timeLimit(.minutes(1)), arguments: ListenerKind.allCases)
    func theAPISpeaksHTTPSWithTheConfiguredCertificate(_ kind: ListenerKind) async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (certificate, key) = try Self.makeCertificate(in: directory)
        let configuration = try load("""
            [api]
            listen = "127.0.0.1:0"
            tls_cert = "\(certificate)"
            tls_key = "\(key)"
            [api.clients.shop]
            scopes = ["read"]
            """)
        let files = try #require(configuration.api.tls)
        let tls = try APITLS.configuration(files, source: "test.toml")
        let fixture = try APIFixture()
        let port = AsyncStream.makeStream(of: Int.self)
        let held = try HeldListeningSocket()
        let listener: APIServer.Listener
        switch kind {
        case .bound: listener = .address(ListenAddress(host: "127.0.0.1", port: 0))
        case .passedBySystemd:
            // The server adopts and closes its own copy, as the daemon does systemd's.
            let adopted = dup(held.descriptor)
            try #require(adopted >= 0)
            listener = .passedSocket(adopted)
        }
        let server = try APIServer.make(
            operations: fixture.operations, keyring: fixture.keyring, listener: listener, limits: fixture.limits,
            tls: tls, onServerRunning: { port.continuation.yield($0) }, logger: Logger(label: "test"))
        let group = ServiceGroup(configuration: .init(services: [server], logger: Logger(label: "test")))
        let running = Task { try await group.run() }
        var ports = port.stream.makeAsyncIterator()
        let reported = try #require(await ports.next())
        let bound = kind == .bound ? reported : held.port

        var clientTLS = TLSConfiguration.makeClientConfiguration()
        clientTLS.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificate))
        var clientConfiguration = HTTPClient.Configuration(tlsConfiguration: clientTLS)
        clientConfiguration.timeout = .init(connect: .seconds(20), read: .seconds(20))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        // A failure must end as a failed expectation, not as the client's
        // "not shut down" assertion taking the whole test run down.
        do {
            var request = HTTPClientRequest(url: "https://127.0.0.1:\(bound)/v1/status")
            request.headers.add(name: "Authorization", value: "Bearer \(APIFixture.shopToken)")
            let response = try await client.execute(request, timeout: .seconds(30))
            #expect(response.status.code == 200)
            _ = try await response.body.collect(upTo: 1 << 20)
            // Plain HTTP to the TLS port is not answered as HTTP.
            var plain = HTTPClientRequest(url: "http://127.0.0.1:\(bound)/v1/status")
            plain.headers.add(name: "Authorization", value: "Bearer \(APIFixture.shopToken)")
            let plainStatus = try? await client.execute(plain, timeout: .seconds(5)).status.code
            #expect(plainStatus == nil || plainStatus == 400, "\(plainStatus.map(String.init) ?? "no answer")")
        } catch {
            Issue.record("HTTPS to the \(kind) listener failed: \(error)")
        }
        try await client.shutdown()
        await group.triggerGracefulShutdown()
        _ = try? await running.value
    }

    @Test func aWrongPairOrAMissingHalfStopsStartUpNamingTheKey() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try Self.makeCertificate(in: directory, name: "one")
        let second = try Self.makeCertificate(in: directory, name: "two")
        func key(of text: String) -> String? {
            do {
                let configuration = try load(text)
                if let files = configuration.api.tls { _ = try APITLS.configuration(files, source: "test.toml") }
                return nil
            } catch {
                return error.key
            }
        }
        #expect(key(of: "[api]\ntls_cert = \"\(first.certificate)\"") == "api.tls_key")
        #expect(key(of: "[api]\ntls_key = \"\(first.key)\"") == "api.tls_cert")
        #expect(key(of: "[api]\ntls_cert = \"\(first.certificate)\"\ntls_key = \"\(second.key)\"") == "api.tls_key", "another certificate's key")
        #expect(key(of: "[api]\ntls_cert = \"\(first.key)\"\ntls_key = \"\(first.key)\"") == "api.tls_cert", "a key is no certificate")
        chmod(first.key, 0o644)
        #expect(key(of: "[api]\ntls_cert = \"\(first.certificate)\"\ntls_key = \"\(first.key)\"") == "api.tls_key", "a key readable by others")
        #expect(key(of: "[api]\ntls_cert = \"\(second.certificate)\"\ntls_key = \"\(second.key)\"") == nil)
    }
}
