import Foundation
import Testing

/// Each database library is imported by its driver's target only (issue 26):
/// GRDB by `CallSpoolSQLite`, PostgresNIO by `CallSpoolPostgres`. Everything
/// else, the tests and the benchmarks included, goes through the drivers'
/// APIs (plain SQL for white-box checks through `SQLiteInspection`), so a
/// file that imports either library elsewhere, or reaches `AppDatabase`'s
/// GRDB writer, fails here.
@Suite struct DatabaseImportBoundaryTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Each library and the one folder whose files may import it.
    static let owners = ["GRDB": "Sources/CallSpoolSQLite/", "PostgresNIO": "Sources/CallSpoolPostgres/"]

    /// The module a line of Swift imports, or nil when it is no import:
    /// `import M`, `@testable import M`, `public import M`,
    /// `@preconcurrency import M`, `import struct M.Type`, `import M.Sub`.
    static func importedModule(_ line: String) -> String? {
        var words = line.split(whereSeparator: \.isWhitespace).map(String.init)[...]
        while let first = words.first, first.hasPrefix("@") { words = words.dropFirst() }
        if let first = words.first, ["public", "package", "internal", "fileprivate", "private"].contains(first) { words = words.dropFirst() }
        guard words.first == "import" else { return nil }
        words = words.dropFirst()
        if let kind = words.first, ["struct", "class", "enum", "protocol", "typealias", "func", "let", "var", "actor"].contains(kind) {
            words = words.dropFirst()
        }
        guard let path = words.first else { return nil }
        return path.split(separator: ".").first.map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: ";")) }
    }

    /// Every Swift file under the folders scanned, as `path` (from the root) and text.
    static func swiftFiles() throws -> [(path: String, text: String)] {
        var files: [(String, String)] = []
        for folder in ["Sources", "Tests", "Benchmarks"] {
            let base = root.appendingPathComponent(folder).standardizedFileURL
            guard let walk = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walk where url.pathExtension == "swift" {
                let relative = folder + "/" + url.standardizedFileURL.path.dropFirst(base.path.count + 1)
                files.append((relative, try String(contentsOf: url, encoding: .utf8)))
            }
        }
        return files
    }

    /// `path:line: import M` for every import of a database library outside its driver.
    static func strayImports() throws -> [String] {
        try swiftFiles().flatMap { file in
            file.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { number, line -> String? in
                guard let module = importedModule(String(line)), let owner = owners[module], !file.path.hasPrefix(owner) else { return nil }
                return "\(file.path):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))"
            }
        }
    }

    @Test func theImportParserSeesEveryForm() {
        // The names spliced in, so that this file itself imports neither (and a grep agrees).
        let (sqlite, postgres) = ("GR" + "DB", "Postgres" + "NIO")
        #expect(Self.importedModule("import \(sqlite)") == sqlite)
        #expect(Self.importedModule("  @testable import \(sqlite)") == sqlite)
        #expect(Self.importedModule("@preconcurrency public import \(postgres)") == postgres)
        #expect(Self.importedModule("import struct \(sqlite).Row") == sqlite)
        #expect(Self.importedModule("internal import \(sqlite).Statement // why") == sqlite)
        #expect(Self.importedModule("@_spi(Internal) import \(postgres)") == postgres)
        #expect(Self.importedModule("import Foundation") == "Foundation")
        #expect(Self.importedModule("/// import \(sqlite) in a comment") == nil)
        #expect(Self.importedModule("let note = \"import \(sqlite)\"") == nil)
    }

    @Test func theDriversThemselvesAreSeen() throws {
        // A walk that finds nothing would make the next test pass vacuously.
        let files = try Self.swiftFiles()
        #expect(files.count >= 100)
        for (module, owner) in Self.owners {
            let seen = files.contains { file in
                file.path.hasPrefix(owner) && file.text.split(separator: "\n").contains { line in Self.importedModule(String(line)) == module }
            }
            #expect(seen, "no file under \(owner) imports \(module)")
        }
    }

    /// `AppDatabase.writer` is internal, but the tests import the driver
    /// `@testable`: reaching the GRDB writer from elsewhere is caught here.
    @Test func noOtherTargetReachesTheSQLiteWriter() throws {
        let reach = try Regex(#"\.(writer|reader)(?![A-Za-z0-9_(])"#)
        // The samples spliced, so that this file does not match itself.
        let (writer, reader) = ("writ" + "er", "read" + "er")
        #expect("try database.\(writer).read { db in".contains(reach) && "spool.database.\(reader)".contains(reach))
        #expect(!"JobFile.open(path).\(reader)()".contains(reach) && !"self.\(writer)s.count".contains(reach))
        let stray = try Self.swiftFiles().filter { !$0.path.hasPrefix("Sources/CallSpoolSQLite/") }.flatMap { file in
            file.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { number, line -> String? in
                guard line.contains(reach), !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") else { return nil }
                return "\(file.path):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))"
            }
        }
        #expect(stray.isEmpty, "plain SQL goes through SQLiteInspection (AppDatabase.read/write):\n\(stray.joined(separator: "\n"))")
    }

    @Test func noOtherTargetImportsADatabaseLibrary() throws {
        let stray = try Self.strayImports()
        #expect(stray.isEmpty, "GRDB belongs to Sources/CallSpoolSQLite, PostgresNIO to Sources/CallSpoolPostgres:\n\(stray.joined(separator: "\n"))")
    }
}
