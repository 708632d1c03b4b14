import AsyncHTTPClient
import NIOCore
import NIOPosix
import Testing
@testable import VoiceCallAPI

/// VoiceCallClient.transportFailure: `notSent` only when the request cannot
/// have reached the platform, otherwise `uncertain` (never call a person twice).
@Suite struct TransportFailureTests {
    static func isNotSent(_ result: CallAttemptResult) -> Bool {
        if case .notSent = result { return true }
        return false
    }

    static func isUncertain(_ result: CallAttemptResult) -> Bool {
        if case .uncertain = result { return true }
        return false
    }

    @Test(arguments: [
        HTTPClientError.connectTimeout, .invalidURL, .emptyHost, .alreadyShutdown, .tlsHandshakeTimeout,
        .getConnectionFromPoolTimeout, .socksHandshakeTimeout, .httpProxyHandshakeTimeout,
    ])
    func errorsBeforeSendingAreNotSent(error: HTTPClientError) {
        #expect(Self.isNotSent(VoiceCallClient.transportFailure(error)))
    }

    @Test(arguments: [
        HTTPClientError.readTimeout, .remoteConnectionClosed, .deadlineExceeded, .cancelled, .writeTimeout,
        .bodyLengthMismatch,
    ])
    func errorsAfterSendingMayHaveReachedThePlatform(error: HTTPClientError) {
        #expect(Self.isUncertain(VoiceCallClient.transportFailure(error)))
    }

    @Test func connectTimeoutFromTheChannelIsNotSent() {
        #expect(Self.isNotSent(VoiceCallClient.transportFailure(ChannelError.connectTimeout(.seconds(5)))))
    }

    @Test func otherChannelErrorsAreUncertain() {
        #expect(Self.isUncertain(VoiceCallClient.transportFailure(ChannelError.ioOnClosedChannel)))
        #expect(Self.isUncertain(VoiceCallClient.transportFailure(ChannelError.eof)))
    }

    struct Refused: Error, CustomStringConvertible {
        var description: String { "connect(descriptor:addr:size:): Connection refused (errno: 111)" }
    }

    struct Other: Error {}

    @Test func aRefusedConnectionIsNotSent() {
        #expect(Self.isNotSent(VoiceCallClient.transportFailure(Refused())))
    }

    @Test func anUnknownErrorIsUncertain() {
        #expect(Self.isUncertain(VoiceCallClient.transportFailure(Other())))
    }

    @Test func anInvalidRequestIsRefusedLocallyAsAJobFailure() async throws {
        // No request is sent: validation fails first (the base URL is unroutable anyway).
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let voice = VoiceCallClient(
            configuration: .init(baseURL: "http://127.0.0.1:9/"),
            signer: RequestSigner(credentials: Vector.credentials), httpClient: client)
        let request = CallVerifyRequest(
            displayNbr: "+8675528000088", calleeNbr: "13800000001", preTone: "otp_pre.wav", verifyCode: "4829")
        let result = await voice.verify(request)
        try await client.shutdown()
        guard case .rejected(let rejection) = result else {
            Issue.record("expected a local rejection, got \(result)")
            return
        }
        #expect(rejection.httpStatus == 0)
        #expect(rejection.resultcode == "1020001")
        #expect(rejection.resultClass == .job)
        #expect(rejection.resultdesc?.contains("calleeNbr") == true)
        #expect(rejection.resultdesc?.contains("4829") == false)
    }

    @Test func configurationTrimsATrailingSlash() {
        #expect(VoiceCallClient.Configuration(baseURL: "https://rtccall.example.cn:443/").baseURL == "https://rtccall.example.cn:443")
        #expect(VoiceCallClient.Configuration(baseURL: "https://rtccall.example.cn:443").createdClock == .utcPlus8)
    }
}
