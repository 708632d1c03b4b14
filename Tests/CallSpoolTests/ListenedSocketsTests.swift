@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing

/// systemd's socket-activation variables, read without I/O (the descriptor
/// check is injected), then one real listening socket checked.
@Suite struct ListenedSocketsTests {
    static let pid: Int32 = 4242
    static func fine(_: Int32) -> String? { nil }

    func read(_ environment: [String: String], check: (Int32) -> String? = Self.fine) throws(ListenedSockets.Problem) -> ListenedSockets {
        try ListenedSockets.from(environment: environment, pid: Self.pid, checkDescriptor: check)
    }

    @Test func namedSocketsFromDescriptorThreeOn() throws {
        let sockets = try read(["LISTEN_PID": "4242", "LISTEN_FDS": "2", "LISTEN_FDNAMES": "callbacks:api"])
        #expect(sockets.descriptor(named: "callbacks") == 3)
        #expect(sockets.descriptor(named: "api") == 4)
    }

    @Test(arguments: [
        [:],
        ["LISTEN_FDS": "1", "LISTEN_FDNAMES": "callbacks"],
        // Meant for another process (a parent that did not unset them).
        ["LISTEN_PID": "1", "LISTEN_FDS": "1", "LISTEN_FDNAMES": "callbacks"],
    ])
    func withoutSocketsForThisProcessTheReceiverBindsItself(environment: [String: String]) throws {
        #expect(try read(environment).isEmpty)
    }

    @Test(arguments: [
        (["LISTEN_PID": "4242", "LISTEN_FDS": "1", "LISTEN_FDNAMES": "callspool.socket"], "named 'callspool.socket'"),
        (["LISTEN_PID": "4242", "LISTEN_FDS": "1"], "without names"),
        (["LISTEN_PID": "4242", "LISTEN_FDS": "2", "LISTEN_FDNAMES": "callbacks"], "names 1 socket(s) but LISTEN_FDS says 2"),
        (["LISTEN_PID": "4242", "LISTEN_FDS": "2", "LISTEN_FDNAMES": "callbacks:callbacks"], "two sockets named 'callbacks'"),
        (["LISTEN_PID": "4242", "LISTEN_FDS": "none", "LISTEN_FDNAMES": "callbacks"], "LISTEN_FDS must be"),
        (["LISTEN_PID": "me", "LISTEN_FDS": "1", "LISTEN_FDNAMES": "callbacks"], "LISTEN_PID is not"),
    ])
    func mistakesStopStartUpWithAMessage(environment: [String: String], message: String) {
        #expect {
            _ = try read(environment)
        } throws: { error in
            (error as? ListenedSockets.Problem)?.description.contains(message) == true
        }
    }

    @Test func aDescriptorThatIsNotAListeningSocketIsNamed() {
        #expect {
            _ = try read(["LISTEN_PID": "4242", "LISTEN_FDS": "1", "LISTEN_FDNAMES": "callbacks"]) { _ in "is not listening" }
        } throws: { error in
            (error as? ListenedSockets.Problem)?.description == "the socket 'callbacks' systemd passed (fd 3) is not listening"
        }
    }

    /// The real check: a listening TCP socket passes, a bound one that does
    /// not listen and a pipe do not.
    @Test func theDescriptorCheckTellsAListeningStreamSocket() throws {
        let listening = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listening) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listening, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0)
        #expect(ListenedSockets.listeningStreamProblem(listening) == "is not listening")
        try #require(listen(listening, 8) == 0)
        #expect(ListenedSockets.listeningStreamProblem(listening) == nil)
        var pipeEnds: [Int32] = [0, 0]
        try #require(pipe(&pipeEnds) == 0)
        defer { pipeEnds.forEach { close($0) } }
        #expect(ListenedSockets.listeningStreamProblem(pipeEnds[0]) == "is not a socket")
    }
}
