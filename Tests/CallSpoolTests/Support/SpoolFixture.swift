@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import VoiceCallAPI

/// A temporary spool and in-memory store for intake tests.
struct SpoolFixture {
    let dir: TemporaryDirectory
    let layout: SpoolLayout
    let database: AppDatabase
    var intake: SpoolIntake
    /// The system calls intake makes (tests make them fail).
    var intakeFileSystem: SpoolFileSystem {
        get { intake.fileSystem }
        set { intake.fileSystem = newValue }
    }

    init(maxFileBytes: Int64 = 256 << 20, batchSize: Int = 5000, policy: IntakePolicy = IntakePolicy()) throws {
        dir = try TemporaryDirectory()
        layout = SpoolLayout(root: dir.path + "/spool")
        try layout.ensureExists()
        database = try AppDatabase.inMemory()
        intake = SpoolIntake(
            database: database, layout: layout, policy: policy, maxFileBytes: maxFileBytes, batchSize: batchSize,
            clock: FixedClock(Date(timeIntervalSince1970: 1_800_000_000)))
    }

    /// Writes `name` into tmp/ and renames it into incoming/, as writers must.
    @discardableResult
    func drop(_ name: String, _ data: Data) throws -> String {
        let staging = layout.tmp + "/" + name
        try data.write(to: URL(fileURLWithPath: staging))
        let target = layout.incoming + "/" + name
        guard rename(staging, target) == 0 else { throw CocoaError(.fileWriteUnknown) }
        return target
    }

    @discardableResult
    func drop(_ name: String, _ text: String) throws -> String { try drop(name, Data(text.utf8)) }

    func listing(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    func report(in directory: String, for name: String) throws -> FileReport {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name + ".report.json"))
        return try JSONDecoder().decode(FileReport.self, from: data)
    }
}

enum JobText {
    static func verify(_ id: String, callee: String = "+8613800000001") -> String {
        #"{"type":"verify","id":"\#(id)","calleeNbr":"\#(callee)","verifyCode":"1234","preTone":"p.wav"}"#
    }

    static func notify(_ id: String, callee: String = "+8613800000002") -> String {
        #"{"type":"notify","id":"\#(id)","calleeNbr":"\#(callee)","displayNbr":"+8675528000088","playInfoList":[{"notifyVoice":"a.wav"}]}"#
    }

    static func campaign(name: String, count: Int, bad: Set<Int> = []) -> String {
        var jobs: [String] = []
        jobs.reserveCapacity(count)
        for index in 0..<count {
            let digits = String(index)
            let callee = "+86139" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
            jobs.append(bad.contains(index) ? #"{"calleeNbr":"0\#(digits)"}"# : #"{"calleeNbr":"\#(callee)"}"#)
        }
        return #"{"campaign":"\#(name)","type":"notify","defaults":{"displayNbr":"+8675528000088","playInfoList":[{"notifyVoice":"a.wav"}]},"jobs":["#
            + jobs.joined(separator: ",") + "]}"
    }
}
