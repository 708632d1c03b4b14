import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import Testing

@Suite struct ExampleJobFileTests {
    static let examples: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: TestPaths.jobs)) ?? []
        return names.filter { JobFile.format(forName: $0) != nil }.sorted()
    }()

    static let expectations: [(file: String, message: String)] = {
        guard let text = try? String(contentsOfFile: TestPaths.jobs + "/invalid/expected.tsv", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#") else { return nil }
            let parts = line.split(separator: "\t", maxSplits: 1)
            return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        }
    }()

    @Test func examplesExist() {
        #expect(Self.examples.count >= 5)
        #expect(Self.expectations.count >= 10)
    }

    @Test(arguments: examples)
    func exampleIsValid(name: String) {
        let report = JobFileLinter.lint(path: TestPaths.jobs + "/" + name)
        #expect(report.error == nil, "\(name): \(report.error ?? "")")
        #expect(report.rejected.isEmpty, "\(name): \(JobFileLinter.describe(report))")
        #expect(report.accepted >= 1)
    }

    @Test(arguments: expectations.map(\.file))
    func invalidExampleFailsWithDocumentedMessage(name: String) {
        let report = JobFileLinter.lint(path: TestPaths.jobs + "/invalid/" + name)
        let lines = JobFileLinter.describe(report)
        #expect(!report.isClean)
        for expected in Self.expectations where expected.file == name {
            #expect(lines.contains { $0.contains(expected.message) }, "\(name): wanted \(expected.message), got \(lines)")
        }
    }

    @Test func everyInvalidFileHasAnExpectation() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: TestPaths.jobs + "/invalid").filter { JobFile.format(forName: $0) != nil }
        let covered = Set(Self.expectations.map(\.file))
        #expect(Set(files) == covered)
    }
}
