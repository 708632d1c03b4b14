import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import CallspoolTestSupport
import Foundation
import Testing
import VoiceCallAPI

/// What a store must keep when it writes rows together: the PostgreSQL
/// store holds job and attempt writes back and sends them as one statement
/// per table, and reads the jobs of a batch of answers in one statement.
/// The same expectations hold for the SQLite store, which writes row by row.
extension StoreConformanceTests {
    @Test(arguments: StoreBackend.all)
    func aRetriedJobThatIsAcceptedKeepsNoErrorOfItsFailedAttempt(backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store in
            _ = try Self.queue([Self.notify("a")], in: store)
            let first = try #require(try Self.dispatch("reminders", in: store).first)
            try store.dispatchTransaction { tx in
                try tx.recordFailure(
                    first, httpStatus: 500, resultcode: "1020154", resultDesc: "no idle port", resultClass: "ports",
                    disposition: .requeue(at: Self.now), now: Self.now)
            }
            #expect(try store.jobDetail(id: "a")?.job.errorCode == "1020154")
            let second = try #require(try Self.dispatch("reminders", in: store).first)
            _ = try store.dispatchTransaction { tx in
                try tx.recordAcceptance(second, acceptance: CallAcceptance(sessionId: "S-a", idlePort: nil), now: Self.now)
            }
            let job = try #require(try store.jobDetail(id: "a")?.job)
            #expect(job.state == .inCall)
            #expect(job.errorCode == nil, "the failed attempt's code stayed on the job")
            #expect(job.errorDesc == nil, "the failed attempt's description stayed on the job")
        }
    }

    @Test(arguments: StoreBackend.all)
    func answersAnnouncedTogetherAreRecordedAsIfOneByOne(backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store in
            _ = try Self.queue((1...4).map { Self.notify("n\($0)", callee: "+861380000000\($0)") }, in: store)
            let tickets = Dictionary(uniqueKeysWithValues: try Self.dispatch("reminders", in: store).map { ($0.jobId, $0) })
            #expect(tickets.count == 4)
            let early = CallbackEvent.status(.collectInfo, CallStatusInfo(sessionId: "S1", timestamp: "2026-11-30 10:00:00", digitInfo: "5"))
            _ = await store.recordCallbacks([.init(event: early, body: "{}", now: Self.now, app: "reminders")])
            let (n1, n2, n3, n4) = (try #require(tickets["n1"]), try #require(tickets["n2"]), try #require(tickets["n3"]), try #require(tickets["n4"]))
            struct Boom: Error {}
            try store.dispatchTransaction { tx in
                try tx.willRecordAnswers([(n1, "S1"), (n2, nil), (n3, "S3"), (n4, "S4")])
                try tx.isolated { _ = try tx.recordAcceptance(n1, acceptance: CallAcceptance(sessionId: "S1", idlePort: nil), now: Self.now) }
                try tx.isolated {
                    try tx.recordFailure(
                        n2, httpStatus: 403, resultcode: "1013004", resultDesc: "blacklisted", resultClass: "job",
                        disposition: .fail(code: "1013004", description: "blacklisted"), now: Self.now)
                }
                try? tx.isolated {
                    _ = try tx.recordAcceptance(n3, acceptance: CallAcceptance(sessionId: "S3", idlePort: nil), now: Self.now)
                    throw Boom()
                }
                try tx.isolated { _ = try tx.recordAcceptance(n4, acceptance: CallAcceptance(sessionId: "S4", idlePort: nil), now: Self.now) }
            }
            let one = try #require(try store.jobDetail(id: "n1"))
            #expect(one.job.state == .inCall && one.job.sessionId == "S1")
            #expect(one.job.digits == ["5"], "the event that came before the answer was not applied")
            #expect(one.attempts.last?.sessionId == "S1" && one.attempts.last?.resultClass == "ok" && one.attempts.last?.resultcode == "0")
            let two = try #require(try store.jobDetail(id: "n2"))
            #expect(two.job.state == .failed && two.job.errorCode == "1013004")
            #expect(two.attempts.last?.httpStatus == 403 && two.attempts.last?.resultClass == "job" && two.attempts.last?.sessionId == nil)
            let three = try #require(try store.jobDetail(id: "n3"))
            #expect(three.job.state == .dispatching, "an answer whose savepoint failed kept its writes")
            #expect(three.attempts.last?.sessionId == nil && three.attempts.last?.resultClass == nil)
            #expect(try store.jobDetail(id: "n4")?.job.state == .inCall)
            #expect(try store.portHoldingJobRowIds(app: "reminders") == [n1.jobRowId, n4.jobRowId])
        }
    }

    @Test(arguments: StoreBackend.all)
    func jobsWrittenTogetherKeepEveryCharacterAndInstant(backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store in
            _ = try Self.queue((1...3).map { Self.notify("w\($0)", callee: "+861380000001\($0)") }, in: store)
            let reason = "quote \" backslash \\ newline \n tab \t control \u{1} \u{1F} emoji 📞 中文 end"
            let later = Self.now.addingTimeInterval(123.456_789_012)
            try store.dispatchTransaction { tx in
                let jobs = try tx.runnableJobs(app: "reminders", now: Self.now, limit: 10, verifyOnly: false)
                #expect(jobs.count == 3)
                for var job in jobs where job.jobId != "w3" {
                    try tx.postpone(&job, until: later, reason: reason, now: Self.now)
                }
                for var job in jobs where job.jobId == "w3" {
                    try tx.postpone(&job, until: job.expiresAt.addingTimeInterval(1), reason: reason, now: Self.now)
                }
            }
            for id in ["w1", "w2"] {
                let job = try #require(try store.jobDetail(id: id)?.job)
                #expect(job.state == .queued)
                #expect(job.nextAttemptAt == later, "the instant changed on its way through the batch")
            }
            let expired = try #require(try store.jobDetail(id: "w3")?.job)
            #expect(expired.state == .expired)
            #expect(expired.errorDesc == "expired: " + reason)
        }
    }

    @Test(arguments: StoreBackend.all)
    func oneBatchOfPushesForSeveralCallsAppliesEachCallsEventsInOrder(backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store in
            let ids = (1...5).map { "p\($0)" }
            _ = try Self.queue(ids.enumerated().map { Self.notify($1, callee: "+861380000002\($0)") }, in: store)
            let tickets = try Self.dispatch("reminders", in: store)
            #expect(tickets.count == ids.count)
            try store.dispatchTransaction { tx in
                for ticket in tickets {
                    _ = try tx.recordAcceptance(ticket, acceptance: CallAcceptance(sessionId: "S-\(ticket.jobId)", idlePort: nil), now: Self.now)
                }
            }
            // Interleaved as they would arrive: each call's digits, then its hang-up.
            var pushes: [CallbackPush] = []
            for step in 0..<2 {
                for ticket in tickets {
                    let session = "S-\(ticket.jobId)"
                    let event: CallbackEvent =
                        step == 0
                        ? .status(.collectInfo, CallStatusInfo(sessionId: session, timestamp: "2026-11-30 10:00:0\(step)", digitInfo: "\(ticket.jobRowId % 10)"))
                        : .status(.disconnect, CallStatusInfo(sessionId: session, stateCode: 0, stateDesc: "ok"))
                    pushes.append(.init(event: event, body: "{\"\(session)\":\(step)}", now: Self.now, app: "reminders"))
                }
            }
            let results = await store.recordCallbacks(pushes)
            #expect(results.count == pushes.count)
            for (push, result) in zip(pushes, results) {
                let commit = try result.get()
                if case .status(.disconnect, let info) = push.event {
                    #expect(commit.signals.map(\.sessionId) == [info.sessionId], "a result was handed back to another push")
                } else {
                    #expect(commit.signals.isEmpty)
                }
            }
            for ticket in tickets {
                let job = try #require(try store.jobDetail(id: ticket.jobId)?.job)
                #expect(job.state == .completed, "\(ticket.jobId)")
                #expect(job.digits == ["\(ticket.jobRowId % 10)"], "\(ticket.jobId): its digits were applied out of order or lost")
            }
        }
    }

    /// A signed hang-up whose texts hold NUL is stored with U+FFFD in its
    /// place and applied: PostgreSQL refuses NUL, and a status push refused
    /// with 500 is never sent again (its outcome would be lost).
    @Test(arguments: StoreBackend.all)
    func aPushWhoseTextsHoldNULIsStoredAndApplied(backend: StoreBackend) async throws {
        try await Self.withStore(backend) { store in
            _ = try Self.queue([Self.notify("nul", callee: "+8613800000031")], in: store)
            let ticket = try #require(try Self.dispatch("reminders", in: store).first)
            try store.dispatchTransaction { tx in
                _ = try tx.recordAcceptance(ticket, acceptance: CallAcceptance(sessionId: "S-nul", idlePort: nil), now: Self.now)
            }
            let digits = CallStatusInfo(sessionId: "S-nul", digitInfo: "1\u{0}")
            let hangUp = CallStatusInfo(sessionId: "S-nul", stateCode: 0, stateDesc: "normal\u{0}clearing")
            let results = await store.recordCallbacks([
                .init(event: .status(.collectInfo, digits), body: #"{"digitInfo":"1\u0000"}"#, now: Self.now, app: "reminders"),
                .init(event: .status(.disconnect, hangUp), body: #"{"stateDesc":"normal\u0000clearing"}"#, now: Self.now, app: "reminders"),
            ])
            for result in results { _ = try result.get() }
            let detail = try #require(try store.jobDetail(id: "nul"))
            #expect(detail.job.state == .completed)
            #expect(detail.job.stateDesc == "normal\u{FFFD}clearing")
            #expect(detail.job.digits == ["1\u{FFFD}"])
        }
    }
}
