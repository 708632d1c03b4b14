import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation

/// One job as `callspool export` writes it: the same fields, in the same
/// order, for CSV (``csvFields``) and JSON Lines (`Encodable`, camelCase).
public struct ExportRow: Sendable, Equatable, Encodable {
    /// CSV header, matching ``csvFields``.
    public static let csvHeader = [
        "id", "type", "calleeNbr", "displayNbr", "state", "outcome", "stateCode", "stateDesc", "digits", "attempts",
        "errorCode", "errorDescription", "createdAt", "updatedAt", "finishedAt", "meta", "billedMinutes", "cost", "currency",
    ]

    public var id: String
    public var type: String
    public var calleeNbr: String
    public var displayNbr: String?
    public var state: String
    public var outcome: String?
    public var stateCode: Int?
    public var stateDesc: String?
    public var digits: [String]
    public var attempts: Int
    public var errorCode: String?
    public var errorDescription: String?
    public var createdAt: String
    public var updatedAt: String
    public var finishedAt: String?
    /// The job's `meta` object (nil when the job had none).
    public var meta: JSONValue?
    /// Minutes billed for the job's answered calls.
    public var billedMinutes: Int
    /// What they cost at `[billing] price_per_minute`; nil without a price.
    public var cost: BillingCost?

    /// `rate`: `[billing]`, for ``cost``.
    public init(_ job: JobRecord, rate: BillingRate = .unpriced) {
        id = job.jobId
        type = job.type.rawValue
        calleeNbr = job.calleeNbr
        displayNbr = job.displayNbr
        state = job.state.rawValue
        outcome = job.outcome?.rawValue
        stateCode = job.stateCode
        stateDesc = job.stateDesc
        digits = job.digits
        attempts = job.attempts
        errorCode = job.shownError?.code
        errorDescription = job.shownError?.description ?? job.errorDesc
        createdAt = Timestamp.format(job.createdAt)
        updatedAt = Timestamp.format(job.updatedAt)
        finishedAt = job.finishedAt.map(Timestamp.format)
        meta = job.meta
        billedMinutes = job.billedMinutes
        cost = rate.cost(minutes: job.billedMinutes)
    }

    /// The CSV cells: empty for nil, digits joined with `;`, meta as compact JSON.
    public var csvFields: [String] {
        [
            id, type, calleeNbr, displayNbr ?? "", state, outcome ?? "", stateCode.map(String.init) ?? "", stateDesc ?? "",
            digits.joined(separator: ";"), String(attempts), errorCode ?? "", errorDescription ?? "", createdAt, updatedAt,
            finishedAt ?? "", meta?.jsonText ?? "", String(billedMinutes), cost?.amount ?? "", cost?.currency ?? "",
        ]
    }

    enum CodingKeys: String, CodingKey {
        case id, type, calleeNbr, displayNbr, state, outcome, stateCode, stateDesc, digits, attempts, error, createdAt, updatedAt, finishedAt, meta
        case billedMinutes, cost
    }

    enum ErrorKeys: String, CodingKey { case code, description }

    /// Absent values are written as `null`, so every line has every key.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(type, forKey: .type)
        try c.encode(calleeNbr, forKey: .calleeNbr)
        try c.encode(displayNbr, forKey: .displayNbr)
        try c.encode(state, forKey: .state)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(stateCode, forKey: .stateCode)
        try c.encode(stateDesc, forKey: .stateDesc)
        try c.encode(digits, forKey: .digits)
        try c.encode(attempts, forKey: .attempts)
        if errorCode != nil || errorDescription != nil {
            var error = c.nestedContainer(keyedBy: ErrorKeys.self, forKey: .error)
            try error.encode(errorCode, forKey: .code)
            try error.encode(errorDescription, forKey: .description)
        } else {
            try c.encodeNil(forKey: .error)
        }
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encode(finishedAt, forKey: .finishedAt)
        try c.encode(meta, forKey: .meta)
        try c.encode(billedMinutes, forKey: .billedMinutes)
        try c.encode(cost, forKey: .cost)
    }
}
