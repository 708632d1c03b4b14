import ArgumentParser
import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI
import Foundation

/// `callspool export --campaign C [--format csv|jsonl]`: one row per job to
/// stdout, streamed page by page.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export one row per job of a campaign (CSV per RFC 4180, or JSON Lines) to stdout.")
    @OptionGroup var options: ConfigOptions
    @Option(name: .long, help: "The campaign to export.") var campaign: String
    @Option(name: .long, help: "csv or jsonl.") var format: String = "csv"

    func validate() throws {
        if ExportFormat(rawValue: format) == nil {
            throw ValidationError("--format must be one of: \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        let context = try StoreContext.open(options, readonly: true)
        guard try context.database.campaignExists(campaign) else {
            printToStandardError("callspool export: no campaign named \"\(campaign)\" (see `callspool campaigns`)")
            throw ExitStatus.userError
        }
        let export = CampaignExport(database: context.database, campaign: campaign, format: ExportFormat(rawValue: format) ?? .csv,
            rate: context.configuration.billing)
        let output = FileHandle.standardOutput
        try export.write { chunk in try output.write(contentsOf: Data(chunk.utf8)) }
    }
}
