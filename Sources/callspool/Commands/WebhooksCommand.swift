import ArgumentParser
import CallSpool
import CallSpoolCLI
import CallSpoolCore
import Foundation

/// `callspool webhooks`: the result webhooks' deliveries.
struct WebhooksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks",
        abstract: "Show and replay the result webhooks' deliveries.",
        discussion: """
            Every job that reaches a final state is POSTed to each [webhooks.NAME] that wants it, signed \
            (Callspool-Signature). A delivery the receiver refused (4xx) or that failed for max_age is given up \
            and kept: `replay` queues it again with the same Callspool-Event-Id.
            """,
        subcommands: [Status.self, Replay.self])

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deliveries per webhook: pending, delivered, given up.")
        @OptionGroup var options: ConfigOptions
        @Flag(name: .long, help: "Machine-readable output: an array of {webhook, pending, delivered, gaveUp, oldestPending}.") var json = false

        func run() throws {
            let context = try StoreContext.open(options, readonly: true)
            let views = WebhookFiguresView.load(figures: try context.database.webhookFigures(), configured: context.configuration.webhooks.map(\.name))
            if json {
                try printJSON(views)
                return
            }
            if views.isEmpty {
                print("no webhooks configured and no deliveries stored")
                return
            }
            print(WebhookFiguresView.table(views))
        }
    }

    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue given-up deliveries again (or every delivery of one job).",
            discussion: "The running daemon sends them within a second; they are retried for the webhook's max_age again.")
        @OptionGroup var options: ConfigOptions
        @Option(name: .long, help: ArgumentHelp("Only deliveries queued at or after this time (RFC 3339, e.g. 2026-12-05T08:00:00Z).", valueName: "time"))
        var since: String?
        @Option(name: .long, help: ArgumentHelp("Only this job's deliveries, delivered ones included.", valueName: "id")) var job: String?
        @Option(name: .long, help: ArgumentHelp("Only this webhook's deliveries.", valueName: "name")) var webhook: String?

        func validate() throws {
            if let since, Timestamp.parse(since) == nil {
                throw ValidationError("--since must be an RFC 3339 time with an offset, such as 2026-12-05T08:00:00Z.")
            }
        }

        func run() throws {
            let context = try StoreContext.open(options)
            let configured = Dictionary(context.configuration.webhooks.map { ($0.name, $0.maxAge) }, uniquingKeysWith: { first, _ in first })
            if let webhook, configured[webhook] == nil {
                printToStandardError("callspool: no [webhooks.\(webhook)] in \(context.configuration.source); configured: \(configured.keys.sorted().joined(separator: ", "))")
                throw ExitStatus.userError
            }
            let replay = WebhookReplay(webhook: webhook, since: since.flatMap(Timestamp.parse), jobId: job)
            let count = try context.database.replayWebhooks(replay, now: Date()) { configured[$0] ?? WebhookEndpoint.defaultMaxAge }
            print("queued \(count) deliver\(count == 1 ? "y" : "ies") again")
        }
    }
}
