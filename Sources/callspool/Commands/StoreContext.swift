import ArgumentParser
import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallSpoolCLI
import Foundation

/// The configuration and store a read or control command works on.
struct StoreContext {
    let configuration: Configuration
    let database: any CallStore

    /// `readonly`: the store must exist already (`status`, `jobs`, `job`,
    /// `campaigns`, `export`, `report`): a mistyped path is an error naming
    /// it (exit 2), never a new empty store.
    static func open(_ options: ConfigOptions, readonly: Bool = false) throws -> StoreContext {
        let configuration: Configuration
        do {
            configuration = try ConfigurationLoader().load(path: options.resolvedPath, purpose: .cli)
        } catch {
            printToStandardError("callspool: \(error)")
            throw ExitStatus.environmentError
        }
        do {
            return StoreContext(configuration: configuration, database: try configuration.openStore(readonly: readonly))
        } catch let error as StoreOpenError {
            printToStandardError("callspool: \(error)")
            throw ExitStatus.environmentError
        } catch let error as PostgresStoreError {
            printToStandardError("callspool: \(error)")
            throw ExitStatus.environmentError
        } catch {
            printToStandardError("callspool: cannot open the store \(configuration.storeDisplayName): \(error)")
            throw ExitStatus.environmentError
        }
    }
}

func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(TerminalText.json(String(decoding: try encoder.encode(value), as: UTF8.self)))
}
