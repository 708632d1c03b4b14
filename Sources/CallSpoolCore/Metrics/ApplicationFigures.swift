import Foundation

/// What the running daemon knows of one application that only it knows
/// (ports in use, the learned limit, the verify reserve, the `Created`
/// convention), gathered from its scheduler for the heartbeat's `appStatus`
/// rows (read by `status`) and for the per-application metrics.
public struct ApplicationFigures: Sendable, Equatable {
    public var name: String
    public var maskedAppKey: String
    public var types: [String]
    public var inUse: Int
    public var effectiveLimit: Int
    public var configured: Int
    public var reserve: Int
    public var reserveReason: String
    public var createdClock: String

    package static func collect(lanes: [DispatchLane], applications: [Configuration.Application]) async -> [ApplicationFigures] {
        var result: [ApplicationFigures] = []
        for (lane, application) in zip(lanes, applications) {
            let ports = await lane.scheduler.portFigures
            let reserve = await lane.scheduler.reserveFigure
            result.append(ApplicationFigures(
                name: application.name, maskedAppKey: application.maskedAppKey, types: application.typeNames, inUse: ports.inUse,
                effectiveLimit: ports.effectiveLimit, configured: ports.configured, reserve: reserve.ports, reserveReason: reserve.reason,
                createdClock: await lane.scheduler.createdClock.rawValue))
        }
        return result
    }

    /// The port figures of every application together (the top-level `ports`).
    package static func total(_ figures: [ApplicationFigures]) -> (inUse: Int, effectiveLimit: Int, configured: Int, reserve: Int) {
        figures.reduce(into: (0, 0, 0, 0)) { sum, app in
            sum.0 += app.inUse
            sum.1 += app.effectiveLimit
            sum.2 += app.configured
            sum.3 += app.reserve
        }
    }

    package func record(at now: Date) -> AppStatusRecord {
        AppStatusRecord(
            app: name, appKey: maskedAppKey, types: types, portsInUse: inUse, portLimit: configured, effectivePortLimit: effectiveLimit,
            verifyReserve: reserve, verifyReserveReason: reserveReason, createdClock: createdClock, updatedAt: now)
    }
}
