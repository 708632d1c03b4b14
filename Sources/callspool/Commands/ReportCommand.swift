import ArgumentParser
import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI
import Foundation

/// `callspool report --campaign C --output FILE.html`.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write a self-contained HTML report of a campaign, with charts.",
        discussion: """
            One HTML file with no external assets and no script: progress, outcomes, DTMF answers, calls in \
            progress against the port limit over time, retries and throttling, the last errors. Phone numbers \
            are masked. Reads the store only.
            """)
    @OptionGroup var options: ConfigOptions
    @Option(name: .long, help: "The campaign.") var campaign: String
    @Option(name: .long, help: ArgumentHelp("Where to write the HTML file.", valueName: "file.html")) var output: String

    func run() throws {
        let context = try StoreContext.open(options, readonly: true)
        let report: CampaignReport
        do {
            report = try CampaignReport.load(
                from: context.database, campaign: campaign, portLimit: context.configuration.limits.maxConcurrentCalls, now: Date(),
                rate: context.configuration.billing)
        } catch let error as CampaignReport.LoadError {
            printToStandardError("callspool report: \(error)")
            throw ExitStatus.userError
        }
        do {
            try Data(report.html.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            printToStandardError("callspool report: cannot write \(output): \(error)")
            throw ExitStatus.environmentError
        }
        print("wrote \(output)")
    }
}
