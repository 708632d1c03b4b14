import ArgumentParser
import CallSpool
import CallSpoolCLI
import CallSpoolCore
import Foundation

/// `callspool suppress`: the numbers callspool must not call.
struct SuppressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suppress",
        abstract: "Manage the suppression list (numbers never called).",
        discussion: """
            A suppressed number is refused when a job file is taken in (reason `suppressed` in the file's report) \
            and a job queued before is canceled (error `suppressed`) instead of being called. Verify jobs are exempt \
            unless [guard] suppress_verify = true. Every change is recorded with who made it and why (see `callspool job ID`).
            """,
        subcommands: [Add.self, Remove.self, List.self, Import.self, Export.self])

    /// Options every subcommand that changes the list shares.
    struct ChangeOptions: ParsableArguments {
        @Option(name: .long, help: "Why (kept with the entry and in the audit).") var reason: String = ""
        @Option(
            name: .long,
            help: ArgumentHelp("Only for this campaign, or campaigns starting with a prefix ending in * (e.g. flu-*); default: every campaign.", valueName: "name"))
        var campaign: String?

        var scope: String { campaign ?? "" }

        func validate() throws {
            if reason.utf8.count > 500 { throw ValidationError("--reason must be at most 500 bytes.") }
            if let campaign, campaign.isEmpty || campaign.utf8.count > 100 || campaign == "*" {
                throw ValidationError("--campaign must be a campaign name or a prefix ending in * (1–100 bytes).")
            }
        }
    }

    /// The operator as recorded in the audit.
    static var actor: String {
        let environment = ProcessInfo.processInfo.environment
        return environment["SUDO_USER"] ?? environment["USER"] ?? environment["LOGNAME"] ?? "uid \(getuid())"
    }

    /// The numbers in E.164; exits 1 naming every one that is not a number (nothing is changed then).
    static func numbers(_ arguments: [String]) throws -> [String] {
        var numbers: [String] = []
        var bad: [String] = []
        for argument in arguments {
            switch CalleeNumber.normalise(argument) {
            case .unchanged?: numbers.append(argument)
            case .rewritten(let number, _)?: numbers.append(number)
            case nil: bad.append(argument)
            }
        }
        if !bad.isEmpty {
            printToStandardError("callspool: not a phone number (E.164, e.g. +8613800000001): \(bad.map { TerminalText.visible(String($0.prefix(40))) }.joined(separator: ", ")); nothing was changed")
            throw ExitStatus.userError
        }
        return numbers
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add numbers to the suppression list.")
        @OptionGroup var options: ConfigOptions
        @OptionGroup var change: ChangeOptions
        @Argument(help: ArgumentHelp("Numbers (E.164; 0086… and spaces or dashes are accepted).", valueName: "number")) var numbers: [String]

        func validate() throws {
            if numbers.isEmpty { throw ValidationError("Name at least one number.") }
        }

        func run() throws {
            let numbers = try SuppressCommand.numbers(numbers)
            let context = try StoreContext.open(options)
            let now = Date()
            let added = try context.database.suppress(numbers.map {
                SuppressionRecord(number: $0, scope: change.scope, reason: change.reason, source: .operator, createdAt: now, createdBy: SuppressCommand.actor)
            })
            let scope = change.campaign.map { "campaign \($0)" } ?? "every campaign"
            print("suppressed for \(scope): \(added) added, \(Set(numbers).count - added) already listed")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take numbers off the suppression list.")
        @OptionGroup var options: ConfigOptions
        @OptionGroup var change: ChangeOptions
        @Argument(help: ArgumentHelp("Numbers (E.164).", valueName: "number")) var numbers: [String]

        func validate() throws {
            if numbers.isEmpty { throw ValidationError("Name at least one number.") }
        }

        func run() throws {
            let numbers = try SuppressCommand.numbers(numbers)
            let context = try StoreContext.open(options)
            let removed = try context.database.unsuppress(
                numbers.map { SuppressionKey(number: $0, scope: change.scope) }, reason: change.reason, source: .operator, actor: SuppressCommand.actor,
                now: Date())
            let scope = change.campaign.map { "campaign \($0)" } ?? "every campaign"
            print("removed for \(scope): \(removed) removed, \(Set(numbers).count - removed) were not listed")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the suppression list (numbers masked unless --json).")
        @OptionGroup var options: ConfigOptions
        @Flag(name: .long, help: "Machine-readable output: an array of entries, numbers in full.") var json = false
        @Option(name: .long, help: "At most this many entries (0: all).") var limit: Int = 100

        func run() throws {
            let context = try StoreContext.open(options, readonly: true)
            var entries: [SuppressionRecord] = []
            var after: SuppressionKey?
            while limit == 0 || entries.count < limit {
                let page = try context.database.suppressionPage(after: after, limit: limit == 0 ? 1000 : min(1000, limit - entries.count))
                entries += page
                guard let last = page.last else { break }
                after = last.key
            }
            if json {
                try printJSON(entries.map(SuppressionListItem.init))
                return
            }
            let total = try context.database.suppressionCount()
            print(SuppressionListItem.table(entries.map(SuppressionListItem.init)))
            if total > entries.count { print("… \(total - entries.count) more (--limit 0 lists all, `suppress export` writes CSV)") }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import numbers from a file: one per line, optionally `number,reason,scope` (CSV, as `export` writes).",
            discussion: "A line that is not a number is reported with its line number and skipped; the others are imported (exit 1 if any was skipped).")
        @OptionGroup var options: ConfigOptions
        @OptionGroup var change: ChangeOptions
        @Argument(help: ArgumentHelp("The file.", valueName: "file")) var file: String

        func run() throws {
            var reader: SuppressionFile
            do {
                reader = try SuppressionFile(path: file)
            } catch {
                printToStandardError("callspool: \(error)")
                throw ExitStatus.userError
            }
            defer { reader.close() }
            let context = try StoreContext.open(options)
            let now = Date()
            let actor = SuppressCommand.actor
            var batch: [SuppressionRecord] = []
            var read = 0
            var added = 0
            var problems = 0
            func flush() throws {
                added += try context.database.suppress(batch)
                batch.removeAll(keepingCapacity: true)
            }
            do {
                while let result = try reader.next() {
                    switch result {
                    case .success(let entry):
                        read += 1
                        batch.append(SuppressionRecord(
                            number: entry.number, scope: entry.scope ?? change.scope, reason: entry.reason ?? change.reason, source: .import,
                            createdAt: now, createdBy: actor))
                        if batch.count >= 50_000 { try flush() }
                    case .failure(let problem):
                        problems += 1
                        if problems <= 20 { printToStandardError("callspool: \(file): \(problem)") }
                    }
                }
                try flush()
            } catch let error as SuppressionFileError {
                printToStandardError("callspool: \(error) (\(added) numbers imported before)")
                throw ExitStatus.userError
            }
            if problems > 20 { printToStandardError("callspool: \(file): … \(problems - 20) more lines skipped") }
            print("imported \(file): \(read) numbers read, \(added) added, \(read - added) already listed, \(problems) lines skipped")
            if problems > 0 { throw ExitStatus.userError }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the whole suppression list as CSV to standard output (`import` reads it back).")
        @OptionGroup var options: ConfigOptions

        func run() throws {
            let context = try StoreContext.open(options, readonly: true)
            let output = FileHandle.standardOutput
            output.write(Data(CSV.record(["number", "reason", "scope", "source", "jobId", "campaign", "createdAt", "createdBy"]).utf8))
            var after: SuppressionKey?
            while true {
                let page = try context.database.suppressionPage(after: after, limit: 5000)
                guard let last = page.last else { break }
                var text = ""
                for entry in page {
                    text += CSV.record([
                        entry.number, entry.reason, entry.scope, entry.source.rawValue, entry.jobId ?? "", entry.campaign ?? "",
                        Timestamp.format(entry.createdAt), entry.createdBy,
                    ])
                }
                output.write(Data(text.utf8))
                after = last.key
            }
        }
    }
}
