import Foundation
import Testing

/// `docs/architecture.md` is the contributors' map: every file or folder it
/// names must exist, so a move that forgets the map fails here.
@Suite struct ArchitectureMapTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The repository paths quoted in the map (`Sources/…`, `Tests/…`, …).
    static func namedPaths() throws -> [String] {
        let text = try String(contentsOf: root.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
        let tops = ["Sources/", "Tests/", "docs/", "contrib/", "Benchmarks/", "packaging/", "systemd/", "Fuzz/", "README.md"]
        return text.split(separator: "`", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 }
            .map { String($0.element) }
            .filter { quoted in tops.contains { quoted.hasPrefix($0) } && !quoted.contains(" ") }
    }

    @Test func theMapNamesPaths() throws {
        // A parse that finds nothing would make the next test pass vacuously.
        #expect(try Self.namedPaths().count >= 40)
    }

    @Test func everyPathTheMapNamesExists() throws {
        let missing = try Self.namedPaths().filter { !FileManager.default.fileExists(atPath: Self.root.appendingPathComponent($0).path) }
        #expect(missing.isEmpty, "docs/architecture.md names paths that do not exist: \(missing.joined(separator: ", "))")
    }
}
