@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
@testable import CallSpoolCLI
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `callspool report` escapes by Unicode scalar: a `<` inside a grapheme
/// cluster (after U+0600, before a combining mark) is still a `<` to a
/// browser, so it must become `&lt;` like any other; and the page forbids
/// script with a Content-Security-Policy.
@Suite struct ReportEscapingTests {
    /// A campaign name or job id that is one grapheme cluster at each end.
    static let clustered = "\u{0600}<img src=x onerror=alert(1)>\u{0301}"

    /// Whether `text` holds `needle` as a run of bytes (String's own
    /// `contains` compares `Character`s, which is the very thing fooled here).
    static func holds(_ text: String, _ needle: String) -> Bool {
        let haystack = Array(text.utf8), pattern = Array(needle.utf8)
        guard !pattern.isEmpty, haystack.count >= pattern.count else { return pattern.isEmpty }
        return (0...(haystack.count - pattern.count)).contains { haystack[$0..<($0 + pattern.count)].elementsEqual(pattern) }
    }

    static let entities: [(entity: String, scalar: String)] = [("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'")]

    /// The escaped text back to the original, scalar by scalar.
    static func unescape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var index = 0
        outer: while index < scalars.count {
            if scalars[index] == "&" {
                for (entity, scalar) in entities {
                    let pattern = Array(entity.unicodeScalars)
                    if index + pattern.count <= scalars.count, Array(scalars[index..<(index + pattern.count)]) == pattern {
                        out.append(contentsOf: scalar.unicodeScalars)
                        index += pattern.count
                        continue outer
                    }
                }
            }
            out.append(scalars[index])
            index += 1
        }
        return String(out)
    }

    /// No markup scalar left, and every `&` starts one of the entities.
    static func isSafe(_ escaped: String) -> Bool {
        let scalars = Array(escaped.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            if ["<", ">", "\"", "'"].contains(scalar) { return false }
            if scalar == "&" {
                let rest = String(String.UnicodeScalarView(scalars[index...]))
                if !entities.contains(where: { rest.unicodeScalars.starts(with: $0.entity.unicodeScalars) }) { return false }
            }
        }
        return true
    }

    @Test func markupInsideAGraphemeClusterIsEscaped() {
        for text in [Self.clustered, "<\u{0301}", "\u{0600}<", "\u{0600}\"\u{0301}", "'\u{0301}&\u{0302}", "\u{0600}>"] {
            let escaped = HTMLText.escape(text)
            #expect(Self.isSafe(escaped), "\(Array(escaped.unicodeScalars))")
            #expect(Self.unescape(escaped) == text)
        }
        #expect(!Self.holds(HTMLText.escape(Self.clustered), "<img"))
        #expect(Self.holds(HTMLText.escape(Self.clustered), "&lt;img src=x onerror=alert(1)&gt;"))
    }

    @Test func randomTextIsEscapedAndComesBack() {
        var random = SeededRandom(state: 20_261_204)  // seeded, so a failure reproduces
        let pools: [[Unicode.Scalar]] = [
            (0x300...0x36F).compactMap(Unicode.Scalar.init),
            ["\u{0600}", "\u{0601}", "\u{200D}"],
            ["<", ">", "&", "\"", "'"],
            (0x20...0x7E).compactMap(Unicode.Scalar.init),
            ["中", "文", "話", "\u{3000}"],
            ["😀", "👍", "\u{1F3FD}", "🇨", "🇳", "\u{FE0F}"],
        ]
        for _ in 0..<2000 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...24, using: &random) {
                let pool = pools[Int.random(in: 0..<pools.count, using: &random)]
                scalars.append(pool[Int.random(in: 0..<pool.count, using: &random)])
            }
            let text = String(scalars)
            let escaped = HTMLText.escape(text)
            #expect(Self.isSafe(escaped), "\(Array(text.unicodeScalars)) → \(Array(escaped.unicodeScalars))")
            #expect(Self.unescape(escaped) == text, "\(Array(text.unicodeScalars))")
        }
    }

    /// A campaign whose name, job id and error description carry the markup.
    static func report() throws -> CampaignReport {
        let database = try AppDatabase.inMemory()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let spec = JobSpec(
            id: "j" + clustered, type: .notify, campaign: clustered, calleeNbr: "+8613800000001", displayNbr: "+8675528000088",
            payload: .notify(playInfoList: [.init(notifyVoice: "a.wav")]), ttl: nil, redial: nil, meta: nil)
        _ = try database.insertJobs([spec], intakeKey: "k", sourceFile: "f.json", policy: IntakePolicy(), now: start)
        try database.write { db in
            try db.execute("UPDATE job SET state = 'failed', outcome = 'busy', errorCode = ?, errorDesc = ?, finishedAt = ?",
                ["8102" + clustered, "resultdesc " + clustered, start.timeIntervalSince1970 + 60])
        }
        return try CampaignReport.load(from: database, campaign: clustered, portLimit: 4, now: start.addingTimeInterval(3600))
    }

    /// Element names of the report parsed as XML (nil: it does not parse).
    static func elements(_ html: String) -> [String]? {
        final class Names: NSObject, XMLParserDelegate {
            var names: [String] = []
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                names.append(name)
            }
        }
        let parser = XMLParser(data: Data(html.utf8))
        let names = Names()
        parser.delegate = names
        return parser.parse() ? names.names : nil
    }

    @Test func aRenderedReportCarriesNoMarkupFromItsValues() throws {
        let report = try Self.report()
        #expect(report.errors.count == 1, "the error row is there to be checked")
        let html = report.html
        #expect(!Self.holds(html, "<img"), "raw markup in the report")
        #expect(!Self.holds(html, "onerror=alert(1)>"))
        #expect(Self.holds(html, "&lt;img src=x onerror=alert(1)&gt;"))
        let names = try #require(Self.elements(html), "the report does not parse")
        #expect(!names.contains("img") && !names.contains("script"))
        // Still the styled, charted page it was.
        #expect(names.contains("style") && names.contains("svg") && names.contains("h1"))
    }

    @Test func theReportForbidsScript() throws {
        let html = try Self.report().html
        #expect(html.contains(#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"#), "\(html.prefix(400))")
        let policy = CampaignReport.contentSecurityPolicy
        #expect(!policy.contains("script-src") && policy.hasPrefix("default-src 'none'"))
        #expect(!html.contains("<script"))
    }
}
