import Foundation

extension APISubmission {
    /// What a request sent with an `Idempotency-Key` answers.
    public enum KeyedSubmission: Sendable, Equatable {
        /// The request ran now; its outcome is kept under the key.
        case ran(Outcome)
        /// The same request ran before under the key: its outcome then, nothing ran now.
        case repeated(Outcome)
        /// The key was used for another request (another body or content type): nothing ran.
        case keyReused
    }

    /// Whether `key` can be an `Idempotency-Key`: 1 to 255 visible ASCII
    /// characters (what clients send: UUIDs, hashes, order numbers), so the
    /// stored key is bounded.
    public static func isIdempotencyKey(_ key: String) -> Bool {
        (1...255).contains(key.utf8.count) && key.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    /// ``submit(_:format:client:allowance:policy:database:now:)`` at most once
    /// per client and `key` within ``KeptAnswer/lifetime``: the jobs and the
    /// outcome are committed together (``CallStore/answerOnce(_:now:_:)``),
    /// so a retry after a lost answer or a crash, on any instance, gets the
    /// first outcome back and queues nothing.
    /// - Throws: when the store fails (nothing was committed: the request may be sent again).
    public static func submitOnce(
        _ bytes: [UInt8], format: Format, key: String, client: String, allowance: Allowance = Allowance(), policy: IntakePolicy,
        database: any CallStore, now: Date
    ) throws -> KeyedSubmission {
        let request = KeyedRequest(client: client, key: key, contentType: format == .json ? "json" : "ndjson", body: bytes)
        let answer = try database.answerOnce(request, now: now) { rows in
            let outcome = try submit(bytes, format: format, client: client, allowance: allowance, policy: policy, rows: rows, now: now)
            return (outcome.status, try keptText(of: outcome))
        }
        switch answer {
        case .reused: return .keyReused
        case .first(let kept): return .ran(try keptOutcome(kept))
        case .repeated(let kept): return .repeated(try keptOutcome(kept))
        }
    }

    /// An outcome as kept with its key (JSON; rejections never quote a code).
    static func keptText(of outcome: Outcome) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(outcome), as: UTF8.self)
    }

    static func keptOutcome(_ kept: KeptAnswer) throws -> Outcome {
        do {
            return try JSONDecoder().decode(Outcome.self, from: Data(kept.body.utf8))
        } catch {
            throw KeptOutcomeError(key: kept.key, reason: "\(error)")
        }
    }
}

/// A kept answer that does not read back as a submission's outcome (a
/// store written by another version of callspool).
public struct KeptOutcomeError: Error, CustomStringConvertible {
    public var key: String
    public var reason: String

    public var description: String {
        "the answer kept under the Idempotency-Key \(key.prefix(255)) cannot be read (\(reason)); send the request with a new key"
    }
}
