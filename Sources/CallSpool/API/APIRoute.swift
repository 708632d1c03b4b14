import CallSpoolCore
import HTTPTypes

/// The routes of `/v1` and the scope each needs, known from the method and
/// path alone: the gate (``APIGate``) decides 401/403 before any body byte
/// is read. The paths are docs/api/openapi.yaml's.
enum APIRoute: Sendable, Equatable {
    case submitJobs
    case listJobs
    case getJob
    case cancelJob
    case getCampaign
    case controlCampaign
    case getStatus

    init?(method: HTTPRequest.Method, path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        switch (method, Array(parts)) {
        case (.post, ["v1", "jobs"]): self = .submitJobs
        case (.get, ["v1", "jobs"]): self = .listJobs
        case (.get, let p) where p.count == 3 && p[0] == "v1" && p[1] == "jobs" && !p[2].isEmpty: self = .getJob
        case (.post, let p) where p.count == 4 && p[0] == "v1" && p[1] == "jobs" && !p[2].isEmpty && p[3] == "cancel": self = .cancelJob
        case (.get, let p) where p.count == 3 && p[0] == "v1" && p[1] == "campaigns" && !p[2].isEmpty: self = .getCampaign
        case (.post, let p) where p.count == 4 && p[0] == "v1" && p[1] == "campaigns" && !p[2].isEmpty && ["pause", "resume", "cancel"].contains(p[3]):
            self = .controlCampaign
        case (.get, ["v1", "status"]): self = .getStatus
        default: return nil
        }
    }

    /// The methods `path` answers to (empty: no such path), for a 405's `Allow`.
    static func allowedMethods(path: String) -> [HTTPRequest.Method] {
        [HTTPRequest.Method.get, .post].filter { APIRoute(method: $0, path: path) != nil }
    }

    /// The route's integer query parameters: one that is not a number is
    /// named in the 400 (the generated decoder does not name it).
    var integerParameters: [String] {
        self == .listJobs ? ["limit"] : []
    }

    var scope: APIScope {
        switch self {
        case .submitJobs: .submit
        case .listJobs, .getJob, .getCampaign, .getStatus: .read
        case .cancelJob, .controlCampaign: .control
        }
    }
}
