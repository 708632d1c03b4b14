import Foundation
import VoiceCallAPI

/// A job that passed every rule of docs/job-files.md, ready to be queued.
///
/// It holds what the platform needs (callee, prompts or code) and what the
/// scheduler needs (expiry, window, priority, redial). Relative values (`ttl`)
/// stay relative: the store turns them into times at intake.
public struct JobSpec: Sendable, Hashable {
    public var id: String
    public var type: JobType
    public var campaign: String?
    public var calleeNbr: String
    /// nil: the scheduler picks one from `defaults.display_numbers`.
    public var displayNbr: String?
    /// The application the job names; intake resolves it (or picks the only
    /// one serving the job's type) before the job is stored.
    public var app: String?
    public var payload: JobPayload
    public var notBefore: Date?
    public var expiresAt: Date?
    public var ttl: Duration?
    public var priority: Int
    public var redial: RedialPolicy?
    public var window: CallingWindow?
    /// The `meta` object as compact JSON, or nil.
    public var meta: String?
    /// The id callspool before 2026-12 generated for this job
    /// (`<campaign>/<calleeNbr>`, a campaign job without `id`), when the
    /// id is generated: a job queued under it counts as a duplicate, so a
    /// campaign file dropped again after an upgrade calls nobody twice.
    public var formerID: String?
    /// Where the job sits in its file, for the report of a job the store
    /// keeps out (a suppressed callee); nil when not read from a file.
    public var position: JobPosition?
    /// The keys that opt the callee out (`optOut.digits`), notify only.
    public var optOutDigits: String?

    public init(
        id: String, type: JobType, campaign: String? = nil, calleeNbr: String, displayNbr: String? = nil, app: String? = nil,
        payload: JobPayload, notBefore: Date? = nil, expiresAt: Date? = nil, ttl: Duration? = nil,
        priority: Int = 0, redial: RedialPolicy? = nil, window: CallingWindow? = nil, meta: String? = nil, optOutDigits: String? = nil
    ) {
        self.optOutDigits = optOutDigits
        self.id = id
        self.type = type
        self.campaign = campaign
        self.calleeNbr = calleeNbr
        self.displayNbr = displayNbr
        self.app = app
        self.payload = payload
        self.notBefore = notBefore
        self.expiresAt = expiresAt
        self.ttl = ttl
        self.priority = priority
        self.redial = redial
        self.window = window
        self.meta = meta
    }
}

/// What is played: the notify prompts or the verify code. Stored as JSON in
/// the job row (see `JobPayload+Coding.swift` for the stored shape).
public enum JobPayload: Sendable, Hashable {
    case notify(playInfoList: [PlayContentInfo])
    case verify(VerifyPayload)

    /// Digits the prompts collect in all (0 for verify).
    public var collectsDigits: Bool {
        if case .notify(let list) = self { return list.contains { $0.collectedDigits > 0 } }
        return false
    }
}

/// The callVerify fields of a verify job. `verifyCode` is secret.
public struct VerifyPayload: Sendable, Hashable, CustomStringConvertible {
    public var languageType: Int
    public var preTone: String
    /// The prompt played after the code (sent as callVerify's `posTone`).
    public var posTone: String?
    public var times: Int?
    public var verifyCode: String

    public init(languageType: Int = 2, preTone: String, posTone: String? = nil, times: Int? = nil, verifyCode: String) {
        self.languageType = languageType
        self.preTone = preTone
        self.posTone = posTone
        self.times = times
        self.verifyCode = verifyCode
    }

    public var description: String { "VerifyPayload(preTone: \(preTone), verifyCode: ***)" }
}
