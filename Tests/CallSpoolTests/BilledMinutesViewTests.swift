@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolSQLite
@testable import CallSpoolCLI
import Foundation
import Testing

/// `billedMinutes` (and, with a price, the cost) where users read them:
/// `job --json` and its text, the results file, `campaigns`, `export` and
/// the HTML report.
@Suite struct BilledMinutesViewTests {
    static let rate = BillingRate(pricePerMinuteTenThousandths: 1200, currency: "CNY")  // 0.12 per minute

    /// Job "a" of campaign "c" with 5 billed minutes, "b" with none.
    static func store() throws -> AppDatabase {
        let database = try AppDatabase.inMemory()
        _ = try database.insertJobs(
            [StoreFixtures.spec(id: "a", campaign: "c"), StoreFixtures.spec(id: "b", campaign: "c", callee: "+8613800000002")],
            intakeKey: "k", sourceFile: "f.json", policy: IntakePolicy(), now: Date())
        try database.write { db in try db.execute("UPDATE job SET billedMinutes = 5 WHERE jobId = 'a'") }
        return database
    }

    static func object(_ value: some Encodable) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as? [String: Any])
    }

    @Test func jobViewShowsBilledMinutesAndTheCostOnlyWithAPrice() throws {
        let detail = try #require(try Self.store().jobDetail(id: "a"))
        let unpriced = try Self.object(JobView(detail))
        #expect(unpriced["billedMinutes"] as? Int == 5)
        #expect(unpriced["cost"] is NSNull)
        let priced = try Self.object(JobView(detail, rate: Self.rate))
        #expect(priced["cost"] as? [String: String] == ["amount": "0.60", "currency": "CNY"])
        #expect(JobView(detail, rate: Self.rate).text.contains("billed      5 min  cost 0.60 CNY"))
        #expect(JobView(detail).text.contains("billed      5 min\n"))
    }

    @Test func theResultsFileCarriesBilledMinutes() throws {
        let job = try #require(try Self.store().jobDetail(id: "a")?.job)
        let file = try Self.object(JobResult(job: job, attempts: []))
        #expect(file["billedMinutes"] as? Int == 5)
    }

    @Test func campaignsShowBilledMinutesPerCampaignAndApplication() throws {
        let summaries = try Self.store().campaignSummaries().map { $0.priced(at: Self.rate) }
        let summary = try #require(summaries.first)
        #expect(summary.billedMinutes == 5)
        let app = try #require(summary.billedMinutesByApp.keys.first)
        #expect(summary.billedMinutesByApp == [app: 5])
        let json = try Self.object(summary)
        #expect(json["billedMinutes"] as? Int == 5)
        #expect(json["billedMinutesByApp"] as? [String: Int] == [app: 5])
        #expect(json["cost"] as? [String: String] == ["amount": "0.60", "currency": "CNY"])
        let table = CampaignSummary.table(summaries, rate: Self.rate)
        #expect(table.contains("BILLED MIN"))
        #expect(table.contains("5 (0.60 CNY)"))
        #expect(table.contains(app))
        #expect(!CampaignSummary.table(summaries).contains("CNY"), "no price, no cost")
    }

    @Test func exportRowsCarryBilledMinutesAndCost() throws {
        let database = try Self.store()
        var csv = ""
        try CampaignExport(database: database, campaign: "c", format: .csv, rate: Self.rate).write { csv += $0 }
        let lines = csv.split(separator: "\r\n").map(String.init)
        #expect(lines[0].hasSuffix(",meta,billedMinutes,cost,currency"))
        #expect(lines[1].hasSuffix(",5,0.60,CNY"))
        #expect(lines[2].hasSuffix(",0,0.00,CNY"))
        var jsonl = ""
        try CampaignExport(database: database, campaign: "c", format: .jsonl).write { jsonl += $0 }
        let first = try #require(try JSONSerialization.jsonObject(with: Data(jsonl.split(separator: "\n")[0].utf8)) as? [String: Any])
        #expect(first["billedMinutes"] as? Int == 5)
        #expect(first["cost"] is NSNull)
    }

    @Test func theReportShowsBilledMinutesAndCost() throws {
        let report = try CampaignReport.load(from: Self.store(), campaign: "c", portLimit: 10, now: Date(), rate: Self.rate)
        #expect(report.html.contains(#"data-metric="billedMinutes">5<"#))
        #expect(report.html.contains(#"data-metric="cost">0.60<"#))
        #expect(report.html.contains(#"<table id="billing">"#))
        let unpriced = try CampaignReport.load(from: Self.store(), campaign: "c", portLimit: 10, now: Date())
        #expect(!unpriced.html.contains(#"data-metric="cost""#))
    }
}
