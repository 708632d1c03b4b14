@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
@testable import CallSpoolCLI
import Foundation
import Testing

/// The CLI's text views never send a stored value's control characters to
/// the terminal: an OSC retitling the window, a CSI clearing it, a C1
/// control or a newline forging a line are shown as `\u{XX}`.
@Suite struct TerminalTextTests {
    static let hostile = "c\u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31m\u{85}\u{7F}\nforged line"

    /// Control scalars other than the newlines separating the view's own lines.
    static func controls(_ text: String) -> [Unicode.Scalar] {
        text.unicodeScalars.filter { TerminalText.isControl($0) && $0 != "\n" }
    }

    /// A store with one job whose id, campaign and error carry the controls.
    static func store() throws -> AppDatabase {
        let database = try AppDatabase.inMemory()
        let spec = JobSpec(
            id: "j" + hostile, type: .notify, campaign: hostile, calleeNbr: "+8613800000001", displayNbr: "+8675528000088",
            payload: .notify(playInfoList: [.init(notifyVoice: "a.wav")]), ttl: nil, redial: nil, meta: nil)
        _ = try database.insertJobs([spec], intakeKey: "k", sourceFile: "f.json", policy: IntakePolicy(), now: Date())
        try database.write { db in
            try db.execute("UPDATE job SET state = 'failed', errorCode = ?, errorDesc = ?", ["E" + hostile, "desc " + hostile])
        }
        return database
    }

    @Test func controlsAreShownNotSent() {
        #expect(TerminalText.visible("a\u{1B}]0;pwned\u{07}b") == "a\\u{1B}]0;pwned\\u{07}b")
        #expect(TerminalText.visible("\u{1B}[2J") == "\\u{1B}[2J")
        #expect(TerminalText.visible("x\u{9B}\u{85}\u{7F}\u{80}\u{9F}\u{00}\n\t") == "x\\u{9B}\\u{85}\\u{7F}\\u{80}\\u{9F}\\u{00}\\u{0A}\\u{09}")
        #expect(TerminalText.visible("plain é 中 😀 \u{A0}") == "plain é 中 😀 \u{A0}")
        let once = TerminalText.visible(Self.hostile)
        #expect(Self.controls(once).isEmpty && !once.contains("\n"))
        #expect(TerminalText.visible(once) == once)
    }

    @Test func jobsTable() throws {
        let items = try Self.store().jobs().map(JobListItem.init)
        let text = JobListItem.table(items)
        #expect(Self.controls(text).isEmpty, "\(Self.controls(text))")
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count == 2, "header and one row:\n\(text)")
    }

    @Test func campaignsTable() throws {
        let text = CampaignSummary.table(try Self.store().campaignSummaries())
        #expect(Self.controls(text).isEmpty, "\(Self.controls(text))")
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count == 2, "header and one row:\n\(text)")
    }

    @Test func jobView() throws {
        let detail = try #require(try Self.store().jobDetail(id: "j" + Self.hostile))
        let text = JobView(detail).text
        #expect(Self.controls(text).isEmpty, "\(Self.controls(text))")
        #expect(!text.contains("\nforged line"))
        #expect(text.contains("\\u{1B}]0;pwned\\u{07}"))
    }

    @Test func statusView() throws {
        let database = try Self.store()
        try database.setPause(.storage, reason: "disk " + Self.hostile, code: nil, until: nil, now: Date())
        let view = try StatusView.load(from: database, portLimit: 4, now: Date())
        #expect(!view.recentErrors.isEmpty && !view.pauses.isEmpty, "the hostile values are in the view")
        for style in [TerminalStyle.plain, TerminalStyle(enabled: true)] {
            let text = view.text(now: Date(), style: style)
            // Colour is the only escape sequence: SGR `ESC [ n m`, nothing else.
            let scalars = Array(text.unicodeScalars)
            for (index, scalar) in scalars.enumerated() where TerminalText.isControl(scalar) && scalar != "\n" {
                #expect(style.enabled && scalar == "\u{1B}" && index + 1 < scalars.count && scalars[index + 1] == "[", "\(text)")
            }
            #expect(!text.contains("\u{1B}]") && !text.contains("\u{1B}[2J") && !text.contains("\nforged line"), "\(text)")
        }
    }

    /// `--json`: the encoder escapes C0; DEL and C1 are escaped too, and the
    /// document decodes back to the very same values.
    @Test func jsonEscapesEveryControl() throws {
        let items = try Self.store().jobs().map(JobListItem.init)
        let compact = TerminalText.json(String(decoding: try JSONEncoder().encode(items), as: UTF8.self))
        #expect(compact.unicodeScalars.allSatisfy { !TerminalText.isControl($0) }, "\(compact)")
        // As printJSON writes it: pretty-printed, its own newlines left alone.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let pretty = TerminalText.json(String(decoding: try encoder.encode(items), as: UTF8.self))
        #expect(pretty.unicodeScalars.allSatisfy { !TerminalText.isControl($0) || $0 == "\n" }, "\(pretty)")
        for json in [compact, pretty] {
            let back = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
            #expect(back.first?["id"] as? String == "j" + Self.hostile)
            #expect(back.first?["campaign"] as? String == Self.hostile)
            _ = try JSONDecoder().decode([JobListItem].self, from: Data(json.utf8))
        }
    }
}
