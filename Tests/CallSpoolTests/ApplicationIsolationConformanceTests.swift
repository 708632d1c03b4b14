@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallAPI

/// A push signed by one application never changes another application's
/// job: not live, not later through the pending-event sweep. Every backend.
@Suite struct ApplicationIsolationConformanceTests {
    typealias Fixture = StoreConformanceTests

    /// B's call whose answer was lost (`unknown`): its row id.
    static func unknownCall(_ id: String, callee: String, in store: any CallStore) throws -> DispatchTicket {
        _ = try Fixture.queue([Fixture.notify(id, callee: callee)], in: store)
        let ticket = try #require(try Fixture.dispatch("reminders", in: store).first { $0.jobId == id })
        try store.dispatchTransaction { tx in
            try tx.recordFailure(
                ticket, httpStatus: nil, resultcode: nil, resultDesc: "reset", resultClass: "uncertain", disposition: .unknown(reason: "reset"),
                now: Fixture.now)
        }
        #expect(try store.jobDetail(id: id)?.job.state == .unknown)
        return ticket
    }

    static func callout(session: String, userData: String, app: String) -> CallbackPush {
        .init(event: .status(.callout, CallStatusInfo(sessionId: session, userData: userData)), body: "{}", now: Fixture.now, app: app)
    }

    /// Application A (`otp`) signs a push naming a job of application B
    /// (`reminders`) that is not reconcilable yet (its row does not exist):
    /// it is kept pending. B's job then loses its answer; the sweep must
    /// not hand it A's invented session, and B's own push must still claim it.
    @Test(arguments: StoreBackend.all)
    func aPendingEventClaimsOnlyAJobOfTheApplicationThatSignedIt(backend: StoreBackend) async throws {
        try await Fixture.withStore(backend) { store in
            let first = try Self.unknownCall("first", callee: "+8613800000041", in: store)
            let next = first.jobRowId + 1
            let forged = await store.recordCallbacks([Self.callout(session: "S-forged", userData: "cs1.\(next).1", app: "otp")])
            #expect(try forged[0].get().pending == 1)
            let victim = try Self.unknownCall("victim", callee: "+8613800000042", in: store)
            try #require(victim.jobRowId == next, "the test needs the victim at the row id the forged push named")
            _ = try store.reconcilePendingEvents(now: Fixture.now.addingTimeInterval(1))
            let swept = try #require(try store.jobDetail(id: "victim"))
            #expect(swept.job.state == .unknown, "another application's pending push took the job over")
            #expect(swept.job.sessionId == nil)
            // B's real push still finds its job.
            let real = await store.recordCallbacks([Self.callout(session: "S-real", userData: victim.userData, app: "reminders")])
            _ = try real[0].get()
            let claimed = try #require(try store.jobDetail(id: "victim"))
            #expect(claimed.job.state == .inCall && claimed.job.sessionId == "S-real")
        }
    }

    /// A live push of A naming B's job, whatever that job's state, is refused
    /// as a mismatch (401) and stores nothing that could apply later.
    @Test(arguments: StoreBackend.all)
    func aLivePushNamingAnotherApplicationsJobIsRefused(backend: StoreBackend) async throws {
        try await Fixture.withStore(backend) { store in
            _ = try Fixture.queue([Fixture.notify("busy", callee: "+8613800000043")], in: store)
            let ticket = try #require(try Fixture.dispatch("reminders", in: store).first)
            let results = await store.recordCallbacks([Self.callout(session: "S-forged", userData: ticket.userData, app: "otp")])
            #expect(throws: CallbackApplicationMismatch.self) { try results[0].get() }
            try store.dispatchTransaction { tx in
                try tx.recordFailure(
                    ticket, httpStatus: nil, resultcode: nil, resultDesc: "reset", resultClass: "uncertain", disposition: .unknown(reason: "reset"),
                    now: Fixture.now)
            }
            _ = try store.reconcilePendingEvents(now: Fixture.now.addingTimeInterval(1))
            #expect(try store.jobDetail(id: "busy")?.job.state == .unknown)
        }
    }
}
