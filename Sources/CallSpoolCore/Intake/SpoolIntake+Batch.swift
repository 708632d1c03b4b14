import Foundation

extension SpoolIntake {
    /// One spool entry to take in.
    public struct Request: Sendable, Hashable {
        public var name: String
        /// Whether the file has stopped changing: a file that cannot be
        /// read as a whole is then rejected instead of left for later.
        public var settled: Bool

        public init(name: String, settled: Bool) {
            self.name = name
            self.settled = settled
        }
    }

    /// What became of one entry.
    public struct Outcome: Sendable {
        public var name: String
        /// The result, or why the entry stays in `incoming/`:
        /// ``SpoolMoveError`` when it was handled (report written) but could
        /// not be moved, any other error when nothing of it was finished.
        public var result: Swift.Result<SpoolIntake.Result, any Error>
    }

    /// Files up to this size are read whole and committed together.
    static let sharedCommitMaxBytes = Int64(JobFile.maxJobBytes)
    /// At most this many files share a transaction (each holds a descriptor
    /// until it is moved).
    static let sharedCommitMaxFiles = 128

    /// Takes in several entries, in order. Small files are read whole and
    /// committed together, a few hundred per transaction, each with its own
    /// report row; then each gets its report and is moved. A large file is
    /// streamed in its own transactions, after the small files before it.
    ///
    /// Durability is the single-file path's: a file's jobs and its report
    /// row are committed before its report is written and the file moved,
    /// so after a crash the file is still in `incoming/` and reading it
    /// again finds its committed report (nothing queued twice). One file
    /// that cannot be stored (its savepoint fails) leaves the others
    /// committed; it stays in `incoming/` for a retry.
    public func process(_ requests: [Request]) -> [Outcome] {
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(requests.count)
        var group: [SmallSpoolFile] = []
        var groupJobs = 0
        func commitGroup() {
            guard !group.isEmpty else { return }
            outcomes += commitShared(group)
            group.removeAll(keepingCapacity: true)
            groupJobs = 0
        }
        for request in requests {
            // The same name twice: the first must be finished before the
            // second is looked at (it is probably gone by then).
            if group.contains(where: { $0.name == request.name }) { commitGroup() }
            do {
                switch try prepare(request) {
                case .done(let result):
                    outcomes.append(Outcome(name: request.name, result: .success(result)))
                case .small(let file):
                    group.append(file)
                    groupJobs += file.jobs.specs.count
                    if group.count >= Self.sharedCommitMaxFiles || groupJobs >= batchSize { commitGroup() }
                case .large(let opened, let file, let identity):
                    commitGroup()
                    let result = Swift.Result { try stream(name: request.name, opened: opened, file: file, identity: identity) }
                    outcomes.append(Outcome(name: request.name, result: result))
                }
            } catch {
                outcomes.append(Outcome(name: request.name, result: .failure(error)))
            }
        }
        commitGroup()
        return outcomes
    }

    /// Commits the small files' jobs and reports in one transaction, then
    /// writes each report and moves each file.
    func commitShared(_ group: [SmallSpoolFile]) -> [Outcome] {
        let commits: [Swift.Result<IntakeFileJobs.Commit, any Error>]
        do {
            commits = try database.commitFiles(group.map(\.jobs), policy: policy, now: clock.now)
        } catch {
            return group.map { Outcome(name: $0.name, result: .failure(error)) }
        }
        progress?.beat()
        var outcomes: [Outcome] = []
        var committed: [Committed] = []
        var positions: [Int] = []
        var fresh: [Bool] = []
        for (file, commit) in zip(group, commits) {
            switch commit {
            case .failure(let error):
                guard let refusal = StoreRefusal.reason(for: error) else {
                    outcomes.append(Outcome(name: file.name, result: .failure(error)))
                    continue
                }
                // Refused for good: rejected with a report, never retried forever.
                let rejected = Swift.Result { try reject(name: file.name, reason: refusal + Self.refusedBatchNote(queued: 0), opened: file.opened) }
                outcomes.append(Outcome(name: file.name, result: rejected))
            case .success(.alreadyCommitted(let report)):
                logger.info("finishing intake interrupted after commit", metadata: ["file": "\(file.name)"])
                positions.append(outcomes.count)
                fresh.append(false)
                committed.append(Committed(name: file.name, report: report, opened: file.opened))
                outcomes.append(Outcome(name: file.name, result: .success(.processed(report))))
            case .success(.committed(let report)):
                positions.append(outcomes.count)
                fresh.append(true)
                committed.append(Committed(name: file.name, report: report, opened: file.opened))
                outcomes.append(Outcome(name: file.name, result: .success(.processed(report))))
            }
        }
        for (index, finished) in finishAll(committed).enumerated() {
            let position = positions[index]
            switch finished {
            case .success: if fresh[index] { logQueued(committed[index].report) }
            case .failure(let error): outcomes[position].result = .failure(error)
            }
        }
        return outcomes
    }
}
