import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite

extension StatusView {
    /// This view with every text value passed through ``TerminalText/visible(_:)``
    /// (before colouring, which adds escape sequences of its own).
    func visibleOnTerminal() -> StatusView {
        let v = TerminalText.visible
        func pause(_ p: Pause) -> Pause { Pause(scope: v(p.scope), reason: v(p.reason), code: p.code.map(v), until: p.until.map(v)) }
        func halt(_ h: Halt) -> Halt { Halt(code: v(h.code), reason: v(h.reason), since: v(h.since), probeAt: h.probeAt.map(v), app: h.app.map(v)) }
        var view = self
        view.daemon.version = daemon.version.map(v)
        view.daemon.startedAt = daemon.startedAt.map(v)
        view.daemon.heartbeatAt = daemon.heartbeatAt.map(v)
        view.ports.reserveReason = ports.reserveReason.map(v)
        view.pauses = pauses.map(pause)
        view.halted = halted.map(halt)
        view.recentErrors = recentErrors.map { error in
            var error = error
            error.id = v(error.id)
            error.state = v(error.state)
            error.code = error.code.map(v)
            error.description = error.description.map(v)
            error.at = v(error.at)
            return error
        }
        view.apps = apps.map { app in
            var app = app
            app.name = v(app.name)
            app.appKey = v(app.appKey)
            app.types = app.types.map(v)
            app.ports.reserveReason = app.ports.reserveReason.map(v)
            app.halted = app.halted.map(halt)
            app.pauses = app.pauses.map(pause)
            return app
        }
        view.instances = instances?.map { Instance(name: v($0.name), version: v($0.version), heartbeatAt: v($0.heartbeatAt), leader: $0.leader) }
        view.webhooks = webhooks?.map { Webhook(name: v($0.name), backlog: $0.backlog, delivered: $0.delivered, gaveUp: $0.gaveUp, oldestPending: $0.oldestPending.map(v)) }
        view.leader = leader.map { Leader(name: v($0.name), epoch: $0.epoch, leaseAge: $0.leaseAge) }
        return view
    }
}
