import ArgumentParser
import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI

struct CampaignsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "campaigns", abstract: "Progress per campaign, outcome and digit histograms.")
    @OptionGroup var options: ConfigOptions
    @Flag(name: .long, help: "Machine-readable output.") var json = false

    func run() throws {
        let context = try StoreContext.open(options, readonly: true)
        let rate = context.configuration.billing
        let summaries = try context.database.campaignSummaries().map { $0.priced(at: rate) }
        if json { try printJSON(summaries) } else { print(CampaignSummary.table(summaries, rate: rate)) }
    }
}
