import ArgumentParser
import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI

struct JobCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "job", abstract: "One job: fields, attempts, events, digits, CDR.")
    @OptionGroup var options: ConfigOptions
    @Argument(help: "The job id.") var id: String
    @Flag(name: .long, help: "Machine-readable output.") var json = false

    func run() throws {
        let context = try StoreContext.open(options, readonly: true)
        guard let detail = try context.database.jobDetail(id: id) else {
            printToStandardError("callspool: no job with id \(id)")
            throw ExitStatus.userError
        }
        let view = JobView(
            detail, rate: context.configuration.billing,
            suppression: try context.database.suppressionAudit(number: detail.job.calleeNbr, limit: 20))
        if json { try printJSON(view) } else { print(view.text) }
    }
}
