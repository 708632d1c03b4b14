import Testing
import VoiceCallAPI

@Suite struct UsernameTokenTests {
    @Test func parsesTheReferenceExampleHeader() throws {
        // §5.2 request example (the reference wraps it after "UsernameToken").
        let header = #"UsernameToken Username="ZRBZRz4bAXoFgEH7o4Ew308eXc1RA",PasswordDigest="****",Nonce="ac1c911c4792492687f8fb6b2264a491e",Created="2018-05-26T00:35:30Z""#
        let token = try #require(UsernameToken(header: header))
        #expect(token.username == "ZRBZRz4bAXoFgEH7o4Ew308eXc1RA")
        #expect(token.passwordDigest == "****")
        #expect(token.nonce == "ac1c911c4792492687f8fb6b2264a491e")
        #expect(token.created == "2018-05-26T00:35:30Z")
    }

    @Test func toleratesBlanksAnyOrderAndKeyCase() throws {
        let header = #"  UsernameToken   created="2018-02-12T15:30:20Z", NONCE="abc",  passworddigest="a+b/c==", username="key""#
        let token = try #require(UsernameToken(header: header))
        #expect(token.username == "key")
        #expect(token.passwordDigest == "a+b/c==")
        #expect(token.nonce == "abc")
        #expect(token.created == "2018-02-12T15:30:20Z")
    }

    @Test func keepsBase64PaddingAndCommasInsideQuotes() throws {
        let token = try #require(UsernameToken(header: #"UsernameToken PasswordDigest="x==",Nonce="a,b",Created="c""#))
        #expect(token.passwordDigest == "x==")
        #expect(token.nonce == "a,b")
        #expect(token.created == "c")
    }

    @Test func acceptsUnquotedValues() throws {
        let token = try #require(UsernameToken(header: "UsernameToken Username=k, Nonce=n1,Created=2018-02-12T15:30:20Z"))
        #expect(token.username == "k")
        #expect(token.nonce == "n1")
        #expect(token.created == "2018-02-12T15:30:20Z")
        #expect(token.passwordDigest == nil)
    }

    @Test(arguments: ["", "Basic abc", #"Username="k",Nonce="n""#, "WSSE realm=\"SDP\""])
    func refusesAHeaderWithoutTheUsernameTokenPrefix(header: String) {
        #expect(UsernameToken(header: header) == nil)
    }

    @Test func unknownKeysAreIgnored() throws {
        let token = try #require(UsernameToken(header: #"UsernameToken Foo="bar",Nonce="n""#))
        #expect(token.nonce == "n")
        #expect(token.username == nil)
    }
}
