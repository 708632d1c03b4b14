import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
/// Where the demo's platform answers and how to sign for it: the simulator's
/// address, credentials and display numbers, handed over by whoever started
/// it (CallSpool itself does not depend on the simulator).
public struct DemoPlatform: Sendable, Equatable {
    public var baseURL: String
    public var appKey: String
    public var appSecret: String
    public var displayNumbers: [String]

    public init(baseURL: String, appKey: String, appSecret: String, displayNumbers: [String]) {
        self.baseURL = baseURL
        self.appKey = appKey
        self.appSecret = appSecret
        self.displayNumbers = displayNumbers
    }
}
