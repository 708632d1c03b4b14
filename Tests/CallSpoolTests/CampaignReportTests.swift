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
import VoiceCallAPI

/// `callspool report`: the HTML parses, its figures match the store, it is
/// self-contained and masks phone numbers.
@Suite struct CampaignReportTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func callee(_ n: Int) -> String { "+86138000000\(n < 10 ? "0" : "")\(n)" }

    /// A campaign "flu" of six jobs at known times, and one job of another campaign.
    static func store() throws -> AppDatabase {
        let database = try AppDatabase.inMemory()
        func spec(_ id: String, _ n: Int, campaign: String) -> JobSpec {
            JobSpec(id: id, type: .notify, campaign: campaign, calleeNbr: callee(n), displayNbr: "+8675528000088",
                    payload: .notify(playInfoList: [.init(notifyVoice: "a.wav")]), ttl: nil, redial: nil, meta: nil)
        }
        _ = try database.insertJobs((1...6).map { spec("j\($0)", $0, campaign: "flu") }, intakeKey: "k1", sourceFile: "f.json", policy: IntakePolicy(), now: start)
        _ = try database.insertJobs([spec("o1", 9, campaign: "other")], intakeKey: "k2", sourceFile: "o.json", policy: IntakePolicy(), now: start)
        let t = start.timeIntervalSince1970
        try database.write { db in
            func job(_ id: String, state: String, outcome: String?, digits: String, attempts: Int, finished: Double?, error: (String, String)? = nil) throws {
                try db.execute("""
                    UPDATE job SET state = ?, outcome = ?, digits = ?, attempts = ?, finishedAt = ?, errorCode = ?, errorDesc = ? WHERE jobId = ?
                    """, [state, outcome, digits, attempts, finished, error?.0, error?.1, id])
            }
            func attempt(_ id: String, _ n: Int, at: Double, resultClass: String, code: String?, session: String?) throws {
                try db.execute("""
                    INSERT INTO attempt (jobRowId, n, at, calleeNbr, displayNbr, userData, httpStatus, resultcode, resultDesc, resultClass, sessionId)
                    SELECT id, ?, ?, calleeNbr, '+8675528000088', 'cs1.' || id || '.' || ?, ?, ?, ?, ?, ? FROM job WHERE jobId = ?
                    """, [n, t + at, n, code == nil ? nil : 200, code, resultClass == "ok" ? "Success" : "refused (\(resultClass))", resultClass, session, id])
            }
            func disconnect(_ session: String, at: Double) throws {
                try db.execute("""
                    INSERT INTO callEvent (sessionId, eventType, receivedAt, body, applied) VALUES (?, 'disconnect', ?, '{}', 1)
                    """, [session, t + at])
            }
            try job("j1", state: "completed", outcome: "answered", digits: #"["1"]"#, attempts: 1, finished: t + 60)
            try attempt("j1", 1, at: 0, resultClass: "ok", code: "0", session: "S1")
            try disconnect("S1", at: 60)
            try job("j2", state: "completed", outcome: "answered", digits: #"["2"]"#, attempts: 2, finished: t + 100)
            try attempt("j2", 1, at: 10, resultClass: "ports", code: "1020154", session: nil)
            try attempt("j2", 2, at: 50, resultClass: "ok", code: "0", session: "S2")
            try disconnect("S2", at: 100)
            try job("j3", state: "completed", outcome: "answered", digits: #"["1"]"#, attempts: 1, finished: t + 80)
            try attempt("j3", 1, at: 20, resultClass: "ok", code: "0", session: "S3")
            try disconnect("S3", at: 80)
            try job("j4", state: "failed", outcome: "busy", digits: "[]", attempts: 2, finished: t + 95, error: ("8102", "callee busy"))
            try attempt("j4", 1, at: 30, resultClass: "flow_control", code: "1020156", session: nil)
            try attempt("j4", 2, at: 90, resultClass: "ok", code: "0", session: "S4")
            try job("j6", state: "unknown", outcome: nil, digits: "[]", attempts: 1, finished: nil)
            try attempt("j6", 1, at: 40, resultClass: "uncertain", code: nil, session: nil)
        }
        return database
    }

    /// Elements with `data-*` attributes, and all text, from the report parsed as XML.
    final class Collector: NSObject, XMLParserDelegate {
        var metrics: [String: String] = [:]
        var states: [String: String] = [:]
        var bars: [String: [String: Int]] = [:]
        var charts: [String: [String: String]] = [:]
        var elements: [String] = []
        var currentMetric: String?
        var currentState: String?
        var chart: String?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            elements.append(name)
            currentMetric = attributes["data-metric"]
            currentState = attributes["data-state"]
            if name == "svg", let id = attributes["id"] { chart = id; charts[id] = attributes }
            if name == "rect", let chart, let label = attributes["data-label"], let value = attributes["data-value"].flatMap(Int.init) {
                bars[chart, default: [:]][label] = value
            }
            if name == "line", attributes["class"] == "limit", let chart { charts[chart]?["limitLine"] = attributes["data-value"] }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let currentMetric { metrics[currentMetric, default: ""] += string }
            if let currentState { states[currentState, default: ""] += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            currentMetric = nil
            currentState = nil
            if name == "svg" { chart = nil }
        }
    }

    static func parse(_ html: String) throws -> Collector {
        let parser = XMLParser(data: Data(html.utf8))
        let collector = Collector()
        parser.delegate = collector
        #expect(parser.parse(), "the report does not parse: \(String(describing: parser.parserError))")
        return collector
    }

    @Test func figuresMatchTheStore() throws {
        let database = try Self.store()
        let report = try CampaignReport.load(from: database, campaign: "flu", portLimit: 4, now: Self.start.addingTimeInterval(3600))
        let parsed = try Self.parse(report.html)

        // Independent counts straight from the store.
        func count(_ sql: String) throws -> Int { try database.read { try $0.scalar(Int.self, sql) ?? -1 } }
        let campaignAttempts = "FROM attempt a JOIN job j ON j.id = a.jobRowId WHERE j.campaign = 'flu'"
        #expect(parsed.metrics["campaign"] == "flu")
        #expect(parsed.metrics["total"] == String(try count("SELECT COUNT(*) FROM job WHERE campaign = 'flu'")))
        #expect(parsed.metrics["finished"] == String(try count("SELECT COUNT(*) FROM job WHERE campaign = 'flu' AND state IN ('completed','failed','expired','canceled')")))
        #expect(parsed.metrics["attempts"] == String(try count("SELECT COUNT(*) \(campaignAttempts)")))
        #expect(parsed.metrics["calls"] == String(try count("SELECT COUNT(*) \(campaignAttempts) AND a.sessionId IS NOT NULL")))
        #expect(parsed.metrics["retries"] == String(try count("SELECT COUNT(*) \(campaignAttempts) AND a.n > 1")))
        #expect(parsed.metrics["throttled"] == String(try count("SELECT COUNT(*) \(campaignAttempts) AND a.resultClass IN ('ports','flow_control')")))
        #expect(parsed.metrics["percent"] == "67")  // 4 of 6
        for state in JobState.allCases {
            #expect(parsed.states[state.rawValue] == String(try count("SELECT COUNT(*) FROM job WHERE campaign = 'flu' AND state = '\(state.rawValue)'")), "\(state)")
        }
        #expect(parsed.bars["outcomes"] == ["answered": 3, "busy": 1])
        #expect(parsed.bars["digits"] == ["1": 2, "2": 1])
        #expect(parsed.bars["classes"] == ["ok": 4, "ports": 1, "flow_control": 1, "uncertain": 1])
        // S1 0–60, S3 20–80, S2 50–100, S4 90–95 (ended with its job): three at once at 50–60.
        #expect(parsed.metrics["peak"] == "3")
        #expect(parsed.charts["concurrency"]?["data-peak"] == "3")
        #expect(parsed.charts["concurrency"]?["limitLine"] == "4")
        #expect(report.concurrency.points.map(\.calls) == [1, 2, 3, 2, 1, 2, 1, 0])
    }

    @Test func selfContainedAndMasked() throws {
        let report = try CampaignReport.load(from: try Self.store(), campaign: "flu", portLimit: 4, now: Self.start.addingTimeInterval(3600))
        let html = report.html
        let parsed = try Self.parse(html)
        for forbidden in ["script", "link", "img", "iframe", "object", "embed"] {
            #expect(!parsed.elements.contains(forbidden), "<\(forbidden)> in the report")
        }
        #expect(!html.contains("http:") && !html.contains("https:") && !html.contains("url("), "external reference")
        for n in 1...6 { #expect(!html.contains(Self.callee(n)), "unmasked number \(Self.callee(n))") }
        // The last errors: newest first, masked numbers, the job's own error and the refused attempts.
        #expect(html.contains(PhoneMask.mask(Self.callee(4))))
        let codes = report.errors.map(\.code)
        #expect(codes == ["8102", "uncertain", "1020156", "1020154"], "\(codes)")
        // Another campaign's job does not leak in.
        #expect(!html.contains(">o1<"))
    }

    /// A job id, an error description or a campaign name holding a phone
    /// number (a campaign job without `id` is named `CAMPAIGN/<callee>`)
    /// shows it masked, like the callee column.
    @Test func phoneNumbersInIdsAndDescriptionsAreMasked() throws {
        let database = try AppDatabase.inMemory()
        let spec = JobSpec(
            id: "flu/+8613800000003", type: .notify, campaign: "flu 13900000004", calleeNbr: "+8613800000003", displayNbr: "+8675528000088",
            payload: .notify(playInfoList: [.init(notifyVoice: "a.wav")]), ttl: nil, redial: nil, meta: nil)
        _ = try database.insertJobs([spec], intakeKey: "k", sourceFile: "f.json", policy: IntakePolicy(), now: Self.start)
        try database.write { db in
            try db.execute("UPDATE job SET state = 'failed', outcome = 'busy', digits = ?, errorCode = '8102', errorDesc = ?, finishedAt = ?",
                [#"["13700000005"]"#, "callee 8613800000003 busy", Self.start.timeIntervalSince1970 + 60])
        }
        let report = try CampaignReport.load(from: database, campaign: "flu 13900000004", portLimit: 4, now: Self.start.addingTimeInterval(3600))
        #expect(report.errors.map(\.jobId) == ["flu/+8613800000003"], "the error row is there to be checked")
        let html = report.html
        for number in ["13800000003", "13900000004", "13700000005"] {
            #expect(!html.contains(number), "unmasked \(number) in the report")
        }
        #expect(html.contains("flu/+86138****0003"), "the id is still recognisable")
        #expect(html.contains(">8102<"), "result codes are shown as they are")
        _ = try Self.parse(html)
    }

    @Test func unknownCampaignIsAnError() throws {
        #expect(throws: CampaignReport.LoadError.unknownCampaign("nope")) {
            try CampaignReport.load(from: try Self.store(), campaign: "nope", portLimit: 4, now: Self.start)
        }
    }

    @Test func concurrencyDownsamplingKeepsThePeak() {
        let base = Self.start
        var intervals: [(start: Date, end: Date?)] = (0..<5000).map { (base.addingTimeInterval(Double($0)), base.addingTimeInterval(Double($0) + 0.5)) }
        intervals.append((base.addingTimeInterval(2500.1), base.addingTimeInterval(2500.2)))
        let series = ConcurrencySeries(intervals: intervals, now: base, maxPoints: 100)
        #expect(series.points.count <= 101)
        #expect(series.peak == 2)
    }
}
