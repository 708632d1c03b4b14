import Foundation
import Testing

/// Which conformance test exercises each requirement of ``CallStore``,
/// ``DispatchTransaction`` and the driver protocol (``StoreTransaction``,
/// ``StoreDriver``): a requirement added to any of them fails
/// ``StoreConformanceCoverageTests`` until a test that runs on every backend
/// (`@Test(arguments: StoreBackend.all)`) calls it and is named here.
enum StoreConformanceCoverage {
    /// `CallStore` requirement → the tests (in the `*Conformance*Tests.swift` files) that call it.
    static let callStore: [String: [String]] = [
        // Intake
        "insertJobs": ["aFilesReportIsRememberedWithItsJobs", "heartbeatApplicationFiguresAndAssignmentRoundTrip"],
        "commitFiles": ["filesCommittedTogetherKeepEachFilesJobsAndReportAndAreNotTakenInTwice"],
        "completeIntake": ["filesCommittedTogetherKeepEachFilesJobsAndReportAndAreNotTakenInTwice"],
        "completedIntake": ["aFilesReportIsRememberedWithItsJobs", "filesCommittedTogetherKeepEachFilesJobsAndReportAndAreNotTakenInTwice"],
        "lastJobRowID": ["filesCommittedTogetherKeepEachFilesJobsAndReportAndAreNotTakenInTwice"],
        // Dispatch
        "dispatchTransaction": ["aThrowingDispatchTransactionCommitsNothing", "anIsolatedAnswerThatFailsLeavesTheOthersRecorded"],
        "recoverInterruptedDispatches": ["aDispatchTransactionMovesQueuedJobsOfOneApplicationToDispatchingWithTheirAttempt"],
        "portHoldingJobRowIds": ["anIsolatedAnswerThatFailsLeavesTheOthersRecorded", "callsHoldPortsUntilTheirDisconnectAndCountAsInProgressUntilTheyEnd"],
        "verifyArrivals": ["verifyArrivalsAndTheOldestDueQueuedJobOfEachType"],
        "expireQueuedJobs": ["expiryTouchesOnlyWhatIsDue"],
        "expireCallLeases": ["callsWhoseLeaseRanOutBecomeUnknownAndUnknownJobsExpire"],
        "expireUnknownJobs": ["callsWhoseLeaseRanOutBecomeUnknownAndUnknownJobsExpire"],
        "requeueUnheardUnknownJobs": ["unknownNotifyJobsNothingWasHeardOfAreQueuedAgain"],
        // Callbacks
        "recordCallbacks": ["eventsBeforeTheAnswerAreKeptThenAppliedOnceAndACallEndsOnce", "oneBatchOfPushesForSeveralCallsAppliesEachCallsEventsInOrder"],
        "reconcilePendingEvents": ["theSweepAttachesPendingEventsWithinItsHorizon", "aPendingEventClaimsOnlyAJobOfTheApplicationThatSignedIt", "aPushedCDRKeepsItsTextAndTheSweeperFindsItByUserData"],
        "isCallbackNonceLive": ["noncesAreRememberedUntilTheyExpireAndThenForgotten"],
        "latestCallbackNonceExpiry": ["noncesAreRememberedUntilTheyExpireAndThenForgotten"],
        "callbackNonceCount": ["noncesAreRememberedUntilTheyExpireAndThenForgotten"],
        // Results outbox
        "pendingResults": ["terminalJobsQueueTheirResultsUntilCleared", "finishedJobsQueueResultsThatAreCountedSignalledAndCanBeDiscarded"],
        "clearResults": ["terminalJobsQueueTheirResultsUntilCleared", "aFinishedJobsEventIsQueuedWithItsResultAndACampaignFinishesOnce"],
        // Webhook deliveries
        "claimWebhookDeliveries": ["triesAreClaimedOnceRecordedOnlyWhileCurrentAndGivenUpOnesReplayed", "aFinishedJobsEventIsQueuedWithItsResultAndACampaignFinishesOnce"],
        "recordWebhookTries": ["triesAreClaimedOnceRecordedOnlyWhileCurrentAndGivenUpOnesReplayed"],
        "releaseWebhookClaims": ["anInstancesInterruptedTriesAreDueAgainWhenItStarts"],
        "replayWebhooks": ["triesAreClaimedOnceRecordedOnlyWhileCurrentAndGivenUpOnesReplayed"],
        "webhookFigures": ["triesAreClaimedOnceRecordedOnlyWhileCurrentAndGivenUpOnesReplayed", "deliveryRowsAreQueuedOnceClaimedWrittenCountedAndPruned"],
        "pruneDeliveredWebhooks": ["triesAreClaimedOnceRecordedOnlyWhileCurrentAndGivenUpOnesReplayed"],
        "discardPendingResults": ["finishedJobsQueueResultsThatAreCountedSignalledAndCanBeDiscarded"],
        "pendingResultCount": ["finishedJobsQueueResultsThatAreCountedSignalledAndCanBeDiscarded"],
        "observeQueuedResults": ["finishedJobsQueueResultsThatAreCountedSignalledAndCanBeDiscarded"],
        // API requests with an Idempotency-Key
        "answerOnce": ["aKeyedRequestRunsOnceAndItsJobsCommitWithItsAnswer"],
        // Pauses, halts, intents
        "setPause": ["pausesExpireAndHaltsArePerApplication"],
        "clearPause": ["pausesExpireAndHaltsArePerApplication"],
        "activePauses": ["pausesExpireAndHaltsArePerApplication", "aTransactionSeesAndChangesPausesAndPausedCampaigns"],
        "deleteEndedPauses": ["pausesExpireAndHaltsArePerApplication"],
        "pauses": ["pausesExpireAndHaltsArePerApplication"],
        "halts": ["pausesExpireAndHaltsArePerApplication"],
        "halt": ["pausesExpireAndHaltsArePerApplication"],
        "request": ["operatorIntentsAreRecordedThenAppliedOnce"],
        "pendingIntents": ["operatorIntentsAreRecordedThenAppliedOnce"],
        "intent": ["operatorIntentsAreRecordedThenAppliedOnce"],
        "applyPendingIntents": ["operatorIntentsAreRecordedThenAppliedOnce"],
        // Applications, heartbeat, storage
        "assignApplications": ["heartbeatApplicationFiguresAndAssignmentRoundTrip"],
        "jobsWithoutConfiguredApplication": ["heartbeatApplicationFiguresAndAssignmentRoundTrip"],
        "callsInProgressByApplication": ["callsHoldPortsUntilTheirDisconnectAndCountAsInProgressUntilTheyEnd", "callsWhoseLeaseRanOutBecomeUnknownAndUnknownJobsExpire"],
        "appStatuses": ["heartbeatApplicationFiguresAndAssignmentRoundTrip"],
        "appStatus": ["heartbeatApplicationFiguresAndAssignmentRoundTrip"],
        "beat": ["heartbeatApplicationFiguresAndAssignmentRoundTrip"],
        "heartbeat": ["heartbeatApplicationFiguresAndAssignmentRoundTrip"],
        "probeWrite": ["heartbeatApplicationFiguresAndAssignmentRoundTrip"],
        "checkpointTruncatingWAL": ["aCheckpointWithoutReadersGivesTheLogBackAndKeepsEveryCommit"],
        // Reading
        "stateCounts": ["idsAreIdempotencyKeysAndEachJobGetsItsApplication"],
        "jobs": ["jobsAreListedNewestFirstAndACampaignIsPagedByRowId"],
        "jobDetail": ["idsAreIdempotencyKeysAndEachJobGetsItsApplication"],
        "campaignSummaries": ["operatorIntentsAreRecordedThenAppliedOnce"],
        "campaignSummary": ["aCampaignsSummaryAloneIsItsEntryAmongAll"],
        "campaignExists": ["jobsAreListedNewestFirstAndACampaignIsPagedByRowId"],
        "campaignJobsPage": ["jobsAreListedNewestFirstAndACampaignIsPagedByRowId"],
        "jobsPage": ["jobsArePagedInRowOrderByStateAndCampaign"],
        "reportAttempts": ["recentErrorsReportAttemptsAndRunFiguresTellWhatHappened"],
        "reportErrors": ["aJobThatExpiresWithoutACallSaysWhyOnTheJob"],
        "recentErrors": ["recentErrorsReportAttemptsAndRunFiguresTellWhatHappened"],
        "oldestDueQueued": ["verifyArrivalsAndTheOldestDueQueuedJobOfEachType"],
        "runFigures": ["recentErrorsReportAttemptsAndRunFiguresTellWhatHappened"],
        // Suppression list
        "suppress": ["theListIsChangedInBatchesAndEveryChangeIsAudited", "intakeRejectsSuppressedCalleesWithTheirPosition"],
        "unsuppress": ["theListIsChangedInBatchesAndEveryChangeIsAudited"],
        "suppressions": ["theListIsChangedInBatchesAndEveryChangeIsAudited", "anOptOutPressSuppressesTheCalleeOnce"],
        "suppressionPage": ["theListIsChangedInBatchesAndEveryChangeIsAudited"],
        "suppressionCount": ["theListIsChangedInBatchesAndEveryChangeIsAudited"],
        "suppressionAudit": ["theListIsChangedInBatchesAndEveryChangeIsAudited", "anOptOutPressSuppressesTheCalleeOnce"],
    ]

    /// `DispatchTransaction` requirement → the tests that call it on the
    /// transaction (named `tx` in the conformance tests: `tx.name(`).
    static let dispatchTransaction: [String: [String]] = [
        "callsHoldingPorts": ["callsHoldPortsUntilTheirDisconnectAndCountAsInProgressUntilTheyEnd"],
        "activePauses": ["aTransactionSeesAndChangesPausesAndPausedCampaigns"],
        "pausedCampaigns": ["aTransactionSeesAndChangesPausesAndPausedCampaigns"],
        "runnableJobs": ["runnableJobsComeVerifyFirstThenByPriorityThenAgeAndOnlyWhenDue", "aThrowingDispatchTransactionCommitsNothing"],
        "postpone": ["aJobThatExpiresWithoutACallSaysWhyOnTheJob", "jobsWrittenTogetherKeepEveryCharacterAndInstant", "verifyArrivalsAndTheOldestDueQueuedJobOfEachType"],
        "notifyCallsToCallee": ["onlyNotifyCallsCountTowardsThePerCalleeLimit", "callsHoldPortsUntilTheirDisconnectAndCountAsInProgressUntilTheyEnd"],
        "beginAttempt": ["aThrowingDispatchTransactionCommitsNothing", "onlyNotifyCallsCountTowardsThePerCalleeLimit"],
        "setPause": ["aTransactionSeesAndChangesPausesAndPausedCampaigns"],
        "clearPause": ["aTransactionSeesAndChangesPausesAndPausedCampaigns"],
        "setHalt": ["pausesExpireAndHaltsArePerApplication"],
        "clearHalt": ["pausesExpireAndHaltsArePerApplication"],
        "willRecordAnswers": ["answersAnnouncedTogetherAreRecordedAsIfOneByOne"],
        "recordAcceptance": ["eventsBeforeTheAnswerAreKeptThenAppliedOnceAndACallEndsOnce", "answersAnnouncedTogetherAreRecordedAsIfOneByOne"],
        "recordFailure": ["failuresRequeueFailOrMakeTheJobUnknown", "answersAnnouncedTogetherAreRecordedAsIfOneByOne"],
        "isolated": ["anIsolatedAnswerThatFailsLeavesTheOthersRecorded", "answersAnnouncedTogetherAreRecordedAsIfOneByOne"],
        "suppressions": ["theDispatchTransactionReadsSuppressionsAndCountsCallsAndRefusesJobs"],
        "verifyCalls": ["theDispatchTransactionReadsSuppressionsAndCountsCallsAndRefusesJobs"],
        "calls": ["theDispatchTransactionReadsSuppressionsAndCountsCallsAndRefusesJobs"],
        "refuse": ["theDispatchTransactionReadsSuppressionsAndCountsCallsAndRefusesJobs"],
    ]

    /// `StoreTransaction` (the driver protocol's row operations) requirement
    /// → the tests that call it on the transaction (named `rows`: `rows.name`).
    static let storeTransaction: [String: [String]] = [
        "job": ["jobRowsAreInsertedReadWrittenSelectedCountedAndFlagged"],
        "write": ["jobRowsAreInsertedReadWrittenSelectedCountedAndFlagged", "pausesHaltsAndTheSchedulersReads"],
        "writeNextAttempt": ["jobRowsAreInsertedReadWrittenSelectedCountedAndFlagged"],
        "jobs": ["jobRowsAreInsertedReadWrittenSelectedCountedAndFlagged", "attemptsKeepTheirAnswerAndTheirCall"],
        "countJobs": ["jobRowsAreInsertedReadWrittenSelectedCountedAndFlagged"],
        "requestCancel": ["jobRowsAreInsertedReadWrittenSelectedCountedAndFlagged"],
        "lastJobRowID": ["jobRowsAreInsertedReadWrittenSelectedCountedAndFlagged", "eventsCDRsAndNoncesAreStoredFoundAndMarked"],
        "insertBatchSize": ["jobRowsAreInsertedReadWrittenSelectedCountedAndFlagged"],
        "ensureCampaigns": ["jobRowsAreInsertedReadWrittenSelectedCountedAndFlagged"],
        "existingJobIDs": ["jobRowsAreInsertedReadWrittenSelectedCountedAndFlagged"],
        "insertNewJobs": ["jobRowsAreInsertedReadWrittenSelectedCountedAndFlagged", "attemptsKeepTheirAnswerAndTheirCall", "eventsCDRsAndNoncesAreStoredFoundAndMarked", "pausesHaltsAndTheSchedulersReads", "aTransactionIsolatesWhatFailsAndSurvivesIt"],
        "intakeReport": ["jobRowsAreInsertedReadWrittenSelectedCountedAndFlagged"],
        "saveIntakeReport": ["jobRowsAreInsertedReadWrittenSelectedCountedAndFlagged"],
        "announceQueuedJobs": ["jobRowsAreInsertedReadWrittenSelectedCountedAndFlagged"],
        "insertAttempt": ["attemptsKeepTheirAnswerAndTheirCall", "pausesHaltsAndTheSchedulersReads"],
        "writeAnswer": ["attemptsKeepTheirAnswerAndTheirCall"],
        "latestAttempt": ["attemptsKeepTheirAnswerAndTheirCall"],
        "attachSession": ["attemptsKeepTheirAnswerAndTheirCall"],
        "answeredJob": ["attemptsKeepTheirAnswerAndTheirCall"],
        "willRecordAnswers": ["attemptsKeepTheirAnswerAndTheirCall"],
        "callOwner": ["attemptsKeepTheirAnswerAndTheirCall"],
        "insertEvent": ["eventsCDRsAndNoncesAreStoredFoundAndMarked"],
        "hasCollectInfo": ["eventsCDRsAndNoncesAreStoredFoundAndMarked"],
        "pendingEvents": ["eventsCDRsAndNoncesAreStoredFoundAndMarked"],
        "markEventApplied": ["eventsCDRsAndNoncesAreStoredFoundAndMarked"],
        "insertFeeRecord": ["eventsCDRsAndNoncesAreStoredFoundAndMarked", "aCDRIsStoredAsItsColumnsAndReadBackFieldByField"],
        "pendingFeeRecord": ["eventsCDRsAndNoncesAreStoredFoundAndMarked", "aCDRIsStoredAsItsColumnsAndReadBackFieldByField"],
        "markFeeRecordApplied": ["eventsCDRsAndNoncesAreStoredFoundAndMarked"],
        "hasCollectedDigits": ["eventsCDRsAndNoncesAreStoredFoundAndMarked"],
        "pendingCalls": ["eventsCDRsAndNoncesAreStoredFoundAndMarked", "aCDRIsStoredAsItsColumnsAndReadBackFieldByField"],
        "claimNonce": ["eventsCDRsAndNoncesAreStoredFoundAndMarked"],
        "pruneNonces": ["eventsCDRsAndNoncesAreStoredFoundAndMarked"],
        "callsHoldingPorts": ["pausesHaltsAndTheSchedulersReads"],
        "runnableJobs": ["pausesHaltsAndTheSchedulersReads"],
        "notifyCallsToCallee": ["pausesHaltsAndTheSchedulersReads"],
        "activePauses": ["pausesHaltsAndTheSchedulersReads"],
        "pausedCampaigns": ["jobRowsAreInsertedReadWrittenSelectedCountedAndFlagged"],
        "setPause": ["pausesHaltsAndTheSchedulersReads"],
        "clearPause": ["pausesHaltsAndTheSchedulersReads"],
        "clearOperatorPause": ["pausesHaltsAndTheSchedulersReads"],
        "setHalt": ["pausesHaltsAndTheSchedulersReads"],
        "clearHalt": ["pausesHaltsAndTheSchedulersReads"],
        "setCampaignPaused": ["jobRowsAreInsertedReadWrittenSelectedCountedAndFlagged"],
        "checkLease": ["aTransactionIsolatesWhatFailsAndSurvivesIt"],
        "isolated": ["aTransactionIsolatesWhatFailsAndSurvivesIt"],
        "survives": ["aTransactionIsolatesWhatFailsAndSurvivesIt"],
        "verifyCalls": ["theDispatchTransactionReadsSuppressionsAndCountsCallsAndRefusesJobs"],
        "calls": ["theDispatchTransactionReadsSuppressionsAndCountsCallsAndRefusesJobs"],
        "insertSuppressions": ["suppressionRowsAreInsertedOnceFoundPagedDeletedAndAudited"],
        "deleteSuppressions": ["suppressionRowsAreInsertedOnceFoundPagedDeletedAndAudited"],
        "suppressions": ["suppressionRowsAreInsertedOnceFoundPagedDeletedAndAudited"],
        "suppressionPage": ["suppressionRowsAreInsertedOnceFoundPagedDeletedAndAudited"],
        "suppressionCount": ["suppressionRowsAreInsertedOnceFoundPagedDeletedAndAudited"],
        "appendSuppressionAudit": ["suppressionRowsAreInsertedOnceFoundPagedDeletedAndAudited"],
        "suppressionAudit": ["suppressionRowsAreInsertedOnceFoundPagedDeletedAndAudited"],
        "clearResultRows": ["aFinishedJobsEventIsQueuedWithItsResultAndACampaignFinishesOnce"],
        "insertWebhookDeliveries": ["deliveryRowsAreQueuedOnceClaimedWrittenCountedAndPruned"],
        "dueWebhookDeliveries": ["deliveryRowsAreQueuedOnceClaimedWrittenCountedAndPruned"],
        "webhookDeliveries": ["deliveryRowsAreQueuedOnceClaimedWrittenCountedAndPruned", "anInstancesInterruptedTriesAreDueAgainWhenItStarts"],
        "writeWebhookDeliveries": ["deliveryRowsAreQueuedOnceClaimedWrittenCountedAndPruned"],
        "webhookFigures": ["deliveryRowsAreQueuedOnceClaimedWrittenCountedAndPruned"],
        "deleteDeliveredWebhooks": ["deliveryRowsAreQueuedOnceClaimedWrittenCountedAndPruned"],
        "keptAnswer": ["keptAnswerRowsAreKeptOncePerClientAndKeyAndExpire"],
        "keepAnswer": ["keptAnswerRowsAreKeptOncePerClientAndKeyAndExpire"],
        "deleteExpiredAnswers": ["keptAnswerRowsAreKeptOncePerClientAndKeyAndExpire"],
    ]

    /// `StoreDriver` requirement → the tests that call it on the driver (named `driver`).
    static let storeDriver: [String: [String]] = [
        "writing": ["theDriverOpensTransactionsAndRecordsIntents"],
        "pendingIntents": ["theDriverOpensTransactionsAndRecordsIntents"],
        "markIntentApplied": ["theDriverOpensTransactionsAndRecordsIntents"],
        "isStoreFailure": ["theDriverOpensTransactionsAndRecordsIntents"],
        "reading": ["suppressionRowsAreInsertedOnceFoundPagedDeletedAndAudited"],
    ]
}

/// Reads the protocols' declarations and the conformance tests' sources, so
/// an operation added to a store protocol cannot go without a conformance
/// case. The protocols are found by their declaration anywhere under
/// `Sources/` (the store may move to other directories or targets).
@Suite struct StoreConformanceCoverageTests {
    /// The conformance tests and this guard.
    static let coverageFile = "Tests/CallSpoolTests/StoreConformanceCoverageTests.swift"
    static let newTestsFile = "Tests/CallSpoolTests/StoreOperationConformanceTests.swift"

    static var packageRoot: URL {
        get throws {
            var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            while directory.path != "/" {
                if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) { return directory }
                directory = directory.deletingLastPathComponent()
            }
            throw CoverageSourceError(description: "no Package.swift above \(#filePath)")
        }
    }

    struct CoverageSourceError: Error, CustomStringConvertible { var description: String }

    static func swiftFiles(under directory: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }.sorted { $0.path < $1.path }
    }

    /// The body of `protocol name { … }` in the one file under `Sources/` that declares it.
    static func protocolBody(_ name: String) throws -> (file: String, body: String) {
        let root = try packageRoot
        let declaration = try Regex("(^|\\n)[ \\t]*((public|package)[ \\t]+)?protocol[ \\t]+\(name)\\b[^{]*\\{")
        var found: [(String, String)] = []
        for file in swiftFiles(under: root.appendingPathComponent("Sources")) {
            guard let text = try? String(contentsOf: file, encoding: .utf8), let match = text.firstMatch(of: declaration) else { continue }
            var depth = 1
            var index = match.range.upperBound
            while index < text.endIndex, depth > 0 {
                if text[index] == "{" { depth += 1 } else if text[index] == "}" { depth -= 1 }
                index = text.index(after: index)
            }
            found.append((file.path.replacingOccurrences(of: root.path + "/", with: ""), String(text[match.range.upperBound..<index])))
        }
        guard found.count == 1, let only = found.first else {
            throw CoverageSourceError(description: "expected one declaration of protocol \(name) under Sources/, found \(found.map(\.0))")
        }
        return only
    }

    /// The names of the requirements (functions, properties, subscripts) declared in a protocol body.
    static func requirements(in body: String) throws -> Set<String> {
        let code = body.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in line.firstRange(of: "//").map { String(line[..<$0.lowerBound]) } ?? String(line) }
            .joined(separator: "\n")
        var names = Set<String>()
        for match in code.matches(of: try Regex("\\bfunc[ \\t]+`?([A-Za-z_][A-Za-z0-9_]*)`?")) {
            if let name = match.output[1].substring { names.insert(String(name)) }
        }
        for match in code.matches(of: try Regex("\\bvar[ \\t]+([A-Za-z_][A-Za-z0-9_]*)")) {
            if let name = match.output[1].substring { names.insert(String(name)) }
        }
        if code.contains(try Regex("\\bsubscript\\b")) { names.insert("subscript") }
        return names
    }

    /// The conformance test sources, one per file (`*Conformance*Tests.swift` next to this file, this guard excepted).
    static func conformanceSources() throws -> [String] {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let files = swiftFiles(under: directory).filter {
            $0.lastPathComponent.contains("Conformance") && $0.lastPathComponent != URL(fileURLWithPath: #filePath).lastPathComponent
        }
        return try files.map { try String(contentsOf: $0, encoding: .utf8) }
    }

    /// The source of test `name` (up to the next `@Test` or the end of its
    /// file), and whether it runs on every backend.
    static func test(_ name: String, in sources: [String]) -> (body: Substring, everyBackend: Bool)? {
        for source in sources {
            guard let declaration = source.range(of: "func \(name)(") else { continue }
            let attributes = source[..<declaration.lowerBound].suffix(400)
            let lastTest = attributes.range(of: "@Test", options: .backwards).map { attributes[$0.lowerBound...] } ?? ""
            let rest = source[declaration.upperBound...]
            let end = rest.range(of: "@Test")?.lowerBound ?? rest.endIndex
            return (rest[..<end], lastTest.contains("@Test(arguments: StoreBackend.all)"))
        }
        return nil
    }

    /// Problems with the coverage of `protocolName`: requirements without a
    /// case, cases of requirements that are gone, named tests that are
    /// missing, not run on every backend, or do not call the operation.
    static func problems(_ protocolName: String, registry: [String: [String]], call: (String) -> [String]) throws -> [String] {
        let (file, body) = try protocolBody(protocolName)
        let names = try requirements(in: body)
        let sources = try conformanceSources()
        var problems: [String] = []
        if names.isEmpty { problems.append("no requirement of \(protocolName) found in \(file): has the declaration's form changed?") }
        let registryName =
            ["CallStore": "callStore", "DispatchTransaction": "dispatchTransaction", "StoreTransaction": "storeTransaction", "StoreDriver": "storeDriver"][protocolName]
            ?? protocolName
        for name in names.sorted() {
            guard let tests = registry[name], !tests.isEmpty else {
                problems.append(
                    "\(protocolName).\(name) (\(file)) has no conformance case: add a test with @Test(arguments: StoreBackend.all) to \(newTestsFile) "
                        + "that calls it and asserts its documented behaviour, and list it under \"\(name)\" in StoreConformanceCoverage.\(registryName) (\(coverageFile))")
                continue
            }
            for test in tests {
                guard let found = Self.test(test, in: sources) else {
                    problems.append("\(protocolName).\(name): its conformance case \(test) does not exist in the *Conformance*Tests.swift files (renamed? update StoreConformanceCoverage.\(registryName))")
                    continue
                }
                if !found.everyBackend {
                    problems.append("\(protocolName).\(name): \(test) does not run on every backend: give it @Test(arguments: StoreBackend.all)")
                }
                if !call(name).contains(where: { found.body.contains($0) }) {
                    problems.append("\(protocolName).\(name): \(test) never calls it (looked for \(call(name).joined(separator: " or ")))")
                }
            }
        }
        for name in registry.keys.sorted() where !names.contains(name) {
            problems.append("StoreConformanceCoverage.\(registryName) lists \"\(name)\", which \(protocolName) (\(file)) no longer declares: remove it")
        }
        return problems
    }

    @Test func everyCallStoreOperationHasAConformanceCase() throws {
        let problems = try Self.problems("CallStore", registry: StoreConformanceCoverage.callStore) { [".\($0)(", ".\($0) {", ".\($0){"] }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func everyDispatchTransactionOperationHasAConformanceCase() throws {
        let problems = try Self.problems("DispatchTransaction", registry: StoreConformanceCoverage.dispatchTransaction) { ["tx.\($0)(", "tx.\($0) {"] }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func everyStoreTransactionOperationHasAConformanceCase() throws {
        let problems = try Self.problems("StoreTransaction", registry: StoreConformanceCoverage.storeTransaction) { ["rows.\($0)(", "rows.\($0) ", "rows.\($0) {"] }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func everyStoreDriverOperationHasAConformanceCase() throws {
        let problems = try Self.problems("StoreDriver", registry: StoreConformanceCoverage.storeDriver) { ["driver.\($0)(", "driver.\($0) {"] }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    /// The guard itself: it finds the protocols' requirements (or it would pass vacuously).
    @Test func theGuardReadsTheProtocolsRequirements() throws {
        let callStore = try Self.requirements(in: Self.protocolBody("CallStore").body)
        #expect(callStore.isSuperset(of: ["insertJobs", "dispatchTransaction", "runFigures", "observeQueuedResults"]))
        #expect(callStore.count >= 50)
        let transaction = try Self.requirements(in: Self.protocolBody("DispatchTransaction").body)
        #expect(transaction.isSuperset(of: ["runnableJobs", "isolated", "willRecordAnswers"]))
        let rows = try Self.requirements(in: Self.protocolBody("StoreTransaction").body)
        #expect(rows.isSuperset(of: ["job", "insertNewJobs", "pendingEvents", "survives", "insertBatchSize"]))
        #expect(rows.count >= 40)
        // A requirement the registry does not list is reported with where to add its case.
        let report = try Self.problems("DispatchTransaction", registry: StoreConformanceCoverage.dispatchTransaction.filter { $0.key != "pausedCampaigns" }) { ["tx.\($0)(", "tx.\($0) {"] }
        #expect(report.count == 1)
        #expect(report.first?.hasPrefix("DispatchTransaction.pausedCampaigns (Sources/") == true)
        #expect(report.first?.contains("has no conformance case: add a test with @Test(arguments: StoreBackend.all) to \(Self.newTestsFile)") == true)
    }
}
