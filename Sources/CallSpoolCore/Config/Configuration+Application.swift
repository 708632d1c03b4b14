import Foundation
import VoiceCallAPI

extension Configuration {
    /// One VoiceCall application: the platform gives credentials, the voice
    /// notification and/or verification capability, bound display numbers and
    /// a port quota per application, so callspool keeps all of that apart.
    ///
    /// Without `[apps.*]` the `[platform]` credentials form one application
    /// named ``Application/legacyName`` that serves both job types.
    public struct Application: Sendable, Equatable, Identifiable {
        /// The name of the single application of a configuration without `[apps.*]`.
        public static let legacyName = "default"

        public var name: String
        public var appKey: String
        /// nil when loaded for the CLI, which does not need the secret.
        public var appSecret: String?
        /// The job types it serves (its capabilities on the platform).
        public var types: Set<JobType>
        /// Its bound display numbers (the pool for jobs without `displayNbr`).
        public var displayNumbers: [String]
        /// Its port quota: calls in progress at once.
        public var maxConcurrentCalls: Int
        public var baseURL: String
        public var auth: AuthScheme
        public var createdClock: CreatedClockSetting
        public var timeout: Duration

        public var id: String { name }
        /// A campaign can delay a login code only in an application that serves both.
        public var servesBoth: Bool { types.count == JobType.allCases.count }
        /// Types in a stable order, for status and logs.
        public var typeNames: [String] { JobType.allCases.filter(types.contains).map(\.rawValue) }
        /// What intake needs to choose it.
        public var route: ApplicationRoute { ApplicationRoute(name: name, types: types) }
        public var credentials: AppCredentials? { appSecret.map { AppCredentials(appKey: appKey, appSecret: $0) } }
        /// The app key with its middle hidden, for status and logs.
        public var maskedAppKey: String { Self.mask(appKey) }

        public static func mask(_ key: String) -> String {
            guard key.count > 8 else { return String(repeating: "*", count: key.count) }
            return "\(key.prefix(4))…\(key.suffix(4))"
        }

        /// `[a-z0-9_-]{1,32}`: it goes into pause scopes, metrics labels and
        /// environment variable names.
        package static func isValidName(_ name: String) -> Bool {
            (1...32).contains(name.utf8.count)
                && name.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 95 || $0 == 45 }
        }
    

        package init(name: String, appKey: String, appSecret: String? = nil, types: Set<JobType>, displayNumbers: [String], maxConcurrentCalls: Int, baseURL: String, auth: AuthScheme, createdClock: CreatedClockSetting, timeout: Duration) {
            self.name = name
            self.appKey = appKey
            self.appSecret = appSecret
            self.types = types
            self.displayNumbers = displayNumbers
            self.maxConcurrentCalls = maxConcurrentCalls
            self.baseURL = baseURL
            self.auth = auth
            self.createdClock = createdClock
            self.timeout = timeout
        }
}

    /// Intake's view of the applications.
    public var routes: [ApplicationRoute] { applications.map(\.route) }
}

/// An application's name and the job types it serves: all intake needs to
/// give each job the application it goes out with.
public struct ApplicationRoute: Sendable, Hashable {
    public var name: String
    public var types: Set<JobType>

    public init(name: String, types: Set<JobType>) {
        self.name = name
        self.types = types
    }

    /// The single application of a configuration without `[apps.*]`.
    public static let legacy = ApplicationRoute(name: Configuration.Application.legacyName, types: Set(JobType.allCases))

    /// The application a job of `type` goes out with: the one it names, or
    /// the only one serving its type.
    public static func choose(named name: String?, for type: JobType, among routes: [ApplicationRoute]) -> Result<String, Configuration.ApplicationChoiceError> {
        if let name {
            guard let route = routes.first(where: { $0.name == name }) else {
                return .failure(.unknown(name: name, configured: routes.map(\.name)))
            }
            guard route.types.contains(type) else { return .failure(.cannotServe(name: name, type: type)) }
            return .success(route.name)
        }
        let serving = routes.filter { $0.types.contains(type) }
        switch serving.count {
        case 0: return .failure(.none(type: type))
        case 1: return .success(serving[0].name)
        default: return .failure(.ambiguous(type: type, candidates: serving.map(\.name)))
        }
    }

    /// For each job type, the one application serving it (types served by
    /// none or by several are missing): how jobs stored without an
    /// application are assigned one.
    public static func soleServers(among routes: [ApplicationRoute]) -> [JobType: String] {
        var result: [JobType: String] = [:]
        for type in JobType.allCases {
            if case .success(let name) = choose(named: nil, for: type, among: routes) { result[type] = name }
        }
        return result
    }
}

extension Configuration {
    /// Why a job cannot be given an application; the intake's rejection reason.
    public enum ApplicationChoiceError: Error, Sendable, Equatable, CustomStringConvertible {
        case unknown(name: String, configured: [String])
        case cannotServe(name: String, type: JobType)
        case none(type: JobType)
        case ambiguous(type: JobType, candidates: [String])

        public var description: String {
            switch self {
            case .unknown(let name, let configured):
                "no application named \"\(name)\" is configured (configured: \(configured.joined(separator: ", ")))"
            case .cannotServe(let name, let type):
                "application \"\(name)\" does not serve \(type.rawValue) jobs (its types in [apps.\(name)])"
            case .none(let type):
                "no configured application serves \(type.rawValue) jobs"
            case .ambiguous(let type, let candidates):
                "several applications serve \(type.rawValue) jobs (\(candidates.joined(separator: ", "))): name one with \"app\""
            }
        }
    }

    public func application(named name: String) -> Application? { applications.first { $0.name == name } }
}
