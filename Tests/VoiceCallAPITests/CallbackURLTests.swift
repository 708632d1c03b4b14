import Foundation
import Testing
import VoiceCallAPI

/// Callback URLs as the platform accepts them (§5.2 表5-4 statusUrl/feeUrl; docs/callbacks.md).
@Suite struct CallbackURLTests {
    static func url(length: Int) -> String {
        let prefix = "https://cb.example.com/"
        return prefix + String(repeating: "a", count: length - prefix.count)
    }

    @Test(arguments: [
        "https://voice-cb.example.com/callspool/status",
        "http://10.0.0.1:8080/fee",
        "https://A-Z.example.COM:443/0-9/x.y",
        CallbackURLTests.url(length: 96),  // Base64 form is exactly 128
    ])
    func acceptsAPlatformCompatibleURL(string: String) throws {
        #expect(CallbackURL.check(string, field: "statusUrl") == nil)
        let url = try CallbackURL(string, field: "statusUrl")
        #expect(url.string == string)
        #expect(url.base64.count <= 128)
    }

    @Test(arguments: [
        ("https://cb.example.com/status?token=1", "?"),
        ("https://cb.example.com/call_spool", "_"),
        ("https://cb.example.com/a%20b", "%"),
        ("https://cb.example.com/a b", " "),
        ("https://user@cb.example.com/", "@"),
        ("https://cb.example.com/#frag", "#"),
        ("https://例子.com/status", "例"),
    ])
    func refusesCharactersOutsideTheAllowedSet(string: String, bad: String) {
        let issue = CallbackURL.check(string, field: "callbacks.status_url")
        #expect(issue?.field == "callbacks.status_url")
        #expect(issue?.rule.contains("'\(bad)'") == true, "\(String(describing: issue))")
    }

    @Test func refusesMoreThan128Characters() {
        let issue = CallbackURL.check(Self.url(length: 129), field: "feeUrl")
        #expect(issue?.field == "feeUrl")
        #expect(issue?.rule.contains("at most 128") == true)
        #expect(CallbackURL.check(Self.url(length: 128), field: "feeUrl")?.rule.contains("Base64") == true)
    }

    @Test func refusesAURLWhoseBase64FormExceeds128() {
        let issue = CallbackURL.check(Self.url(length: 97), field: "feeUrl")
        #expect(issue?.rule.contains("Base64") == true)
        #expect(CallbackURL.check(Self.url(length: 96), field: "feeUrl") == nil)
    }

    @Test(arguments: ["ftp://cb.example.com/status", "cb.example.com/status", "https:/cb.example.com", "//cb.example.com/"])
    func refusesAnotherScheme(string: String) {
        let issue = CallbackURL.check(string, field: "url")
        #expect(issue?.rule.contains("http://") == true, "\(String(describing: issue))")
    }

    @Test func refusesTheEmptyString() {
        #expect(CallbackURL.check("", field: "url")?.rule == "must not be empty")
        #expect(throws: ValidationFailure.self) { try CallbackURL("", field: "url") }
    }

    @Test func base64IsTheWireForm() throws {
        // python3 -c 'import base64; print(base64.b64encode(b"https://voice-cb.example.com/callspool/status").decode())'
        let url = try CallbackURL(Vector.statusURL)
        #expect(url.base64 == "aHR0cHM6Ly92b2ljZS1jYi5leGFtcGxlLmNvbS9jYWxsc3Bvb2wvc3RhdHVz")
        #expect(url.description == Vector.statusURL)
    }

    @Test(arguments: [
        ("https://voice-cb.example.com/callspool/status", "/callspool/status"),
        ("https://cb.example.com:8443/fee", "/fee"),
        ("https://cb.example.com", "/"),
        ("http://10.0.0.1:8080/", "/"),
    ])
    func pathIsWhatThePlatformPostsTo(string: String, path: String) throws {
        #expect(try CallbackURL(string).path == path)
    }
}
