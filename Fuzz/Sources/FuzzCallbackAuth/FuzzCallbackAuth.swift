import Crypto
import Dispatch
import Foundation
import VoiceCallAPI

/// libFuzzer target: the `X-AKSK` header parser and the callback verifier.
/// Each input is tried as the header itself, then as `nonce\ncreated` in a
/// header signed correctly, so the fuzzer gets past the digest check into
/// the `Created` parsing, the time window and the replay cache.
struct FixedClock: WallClock {
    var now: Date { Date(timeIntervalSince1970: 1_800_000_000) }
}

let credentials = AppCredentials(appKey: "fuzz-app-key", appSecret: "fuzz-app-secret")
let url = "https://callspool.example.com/cb/status"
let verifier = CallbackVerifier(credentials: credentials, clock: FixedClock(), replayCache: NonceReplayCache(capacity: 64))

func runBlocking(_ body: @escaping @Sendable () async -> Void) {
    let done = DispatchSemaphore(value: 0)
    Task {
        await body()
        done.signal()
    }
    done.wait()
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = UsernameToken(header: text)
    runBlocking { try? await verifier.verify(xaksk: text, url: url) }
    let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    let nonce = parts.first.map(String.init) ?? ""
    let created = parts.count > 1 ? String(parts[1]) : ""
    let mac = HMAC<SHA256>.authenticationCode(
        for: Data("\(url)\n\(nonce)\n\(created)".utf8), using: SymmetricKey(data: Data(credentials.appSecret.utf8)))
    let header = #"UsernameToken Username="fuzz-app-key", PasswordDigest="\#(Data(mac).base64EncodedString())", Nonce="\#(nonce)", Created="\#(created)""#
    runBlocking { try? await verifier.verify(xaksk: header, url: url) }
    return 0
}

@_cdecl("FuzzCallbackAuth_main")
public func FuzzCallbackAuthMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return llvmFuzzerRunDriver(&count, &arguments, fuzzOneInput)
}
