import Foundation

/// Pause scopes as stored in `pause.scope`.
public enum PauseScope: Sendable, Hashable, CustomStringConvertible {
    /// Everything, by the operator (`callspool pause`), until resumed.
    case global
    /// Everything, for a while: the platform's flow control, SP/app frequency
    /// limits and call quotas. Its own scope so it never overwrites (and, on
    /// expiry, never lifts) an operator's pause.
    case flow
    /// Everything, until a port frees or the pause ends (1020154/1020165).
    case ports
    /// Everything: requests kept getting lost in transport (connections
    /// closed or reset after the request, answers that never came). Ends
    /// through one probe request.
    case transport
    /// Everything: free disk space below `store.min_free` (callbacks are still stored).
    case storage
    case campaign(String)
    case displayNumber(String)
    case callee(String)
    /// A flow, ports or transport pause of one application (`ports:otp`):
    /// it stops that application's dispatch, not the others'.
    indirect case application(String, PauseScope)

    /// `base` (flow, ports or transport) for application `app`. The single
    /// application of a configuration without `[apps]` keeps the plain
    /// scopes, so its stores and status read as before.
    public static func of(_ base: PauseScope, app: String) -> PauseScope {
        app == Configuration.Application.legacyName ? base : .application(app, base)
    }

    /// The scope without its application.
    public var base: PauseScope {
        if case .application(_, let base) = self { return base }
        return self
    }

    /// The application a scope belongs to (nil: every application).
    public var application: String? {
        if case .application(let app, _) = self { return app }
        return nil
    }

    public var description: String {
        switch self {
        case .global: "global"
        case .ports: "ports"
        case .flow: "flow"
        case .transport: "transport"
        case .storage: "storage"
        case .campaign(let name): "campaign:\(name)"
        case .displayNumber(let number): "display:\(number)"
        case .callee(let number): "callee:\(number)"
        case .application(let app, let base): "\(base.description):\(app)"
        }
    }

    public init?(_ text: String) {
        switch text {
        case "global": self = .global
        case "ports": self = .ports
        case "flow": self = .flow
        case "transport": self = .transport
        case "storage": self = .storage
        default:
            guard let colon = text.firstIndex(of: ":") else { return nil }
            let value = String(text[text.index(after: colon)...])
            switch text[..<colon] {
            case "campaign": self = .campaign(value)
            case "display": self = .displayNumber(value)
            case "callee": self = .callee(value)
            case "ports": self = .application(value, .ports)
            case "flow": self = .application(value, .flow)
            case "transport": self = .application(value, .transport)
            default: return nil
            }
        }
    }
}
