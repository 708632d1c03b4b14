import Foundation
import Testing

/// systemd/callspool.socket holds the callback port across restarts and
/// passes it under the name the daemon takes; the service starts with it
/// and comes back at once whatever ended it.
@Suite struct SocketUnitTests {
    static let dir = TestPaths.root + "/systemd"

    static func settings(_ text: String) -> [(key: String, value: String)] {
        text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), let equals = line.firstIndex(of: "=") else { return nil }
            return (String(line[..<equals]), String(line[line.index(after: equals)...]))
        }
    }

    @Test func theSocketPassesTheCallbackPortByName() throws {
        let socket = Self.settings(try String(contentsOfFile: Self.dir + "/callspool.socket", encoding: .utf8))
        #expect(socket.contains { $0.key == "FileDescriptorName" && $0.value == "callbacks" })
        #expect(socket.contains { $0.key == "ListenStream" && $0.value == "8080" }, "the default [callbacks] listen port")
        #expect(socket.contains { $0.key == "Service" && $0.value == "callspool.service" })
        #expect(socket.contains { $0.key == "WantedBy" && $0.value == "sockets.target" })
    }

    @Test func theServiceStartsWithItsSocketAndComesBackAtOnce() throws {
        let service = Self.settings(try String(contentsOfFile: Self.dir + "/callspool.service", encoding: .utf8))
        #expect(service.contains { $0.key == "Requires" && $0.value == "callspool.socket" })
        #expect(service.contains { $0.key == "After" && $0.value == "callspool.socket" })
        #expect(service.contains { $0.key == "Restart" && $0.value == "always" })
        let restartSec = try #require(service.first { $0.key == "RestartSec" }.flatMap { Int($0.value) })
        #expect(restartSec <= 1, "pushes wait in the backlog while the daemon is down: keep it short")
        #expect(service.contains { $0.key == "Also" && $0.value == "callspool.socket" })
    }
}
