import ArgumentParser
import CallSpool
import Foundation

/// The configuration and store a read or control command works on.
struct StoreContext {
    let configuration: Configuration
    let database: AppDatabase

    static func open(_ options: ConfigOptions) throws -> StoreContext {
        let configuration: Configuration
        do {
            configuration = try ConfigurationLoader().load(path: options.resolvedPath, purpose: .cli)
        } catch {
            printToStandardError("callspool: \(error)")
            throw ExitStatus.environmentError
        }
        do {
            return StoreContext(configuration: configuration, database: try AppDatabase.open(path: configuration.store.path))
        } catch {
            printToStandardError("callspool: cannot open the store \(configuration.store.path): \(error)")
            throw ExitStatus.environmentError
        }
    }
}

func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
