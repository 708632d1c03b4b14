import Foundation
import VoiceCallAPI

/// A row of `cdr`: the fee record of one call, unique by sessionId, so the
/// platform's re-pushes change nothing.
///
/// The CDR is stored as the fields the receiver parsed, one column each
/// (named as the ``FeeRecord`` property), so applying it, the sweeper and
/// `callspool job` read columns and the CDR is never decoded twice; ``raw``
/// keeps what the platform sent, for audit only. This type's coding keys are
/// the one mapping between ``FeeRecord`` and the columns, for every driver
/// (GRDB and the PostgreSQL row coder both read and write records by coding
/// key), so the two schemas cannot drift from it unnoticed.
public struct CDRRecord: Sendable, Hashable {
    public var sessionId: String
    public var receivedAt: Date
    /// The CDR as the platform sent it: its element of the push's `feeLst`,
    /// byte for byte. The whole push body when the element could not be cut
    /// out of it (``CallbackPush/feeTexts``); for a CDR stored before the
    /// columns existed (SQLite v13, PostgreSQL pg8), the JSON the store
    /// re-encoded it to then, which is all that was kept.
    public var raw: String
    public var jobRowId: Int64?
    public var applied: Bool
    /// The application whose secret signed the push (nil: not checked).
    public var app: String? = nil
    /// The parsed fields, from their columns (`sessionId` is the row's).
    public var fee: FeeRecord

    public init(fee: FeeRecord, raw: String, receivedAt: Date, jobRowId: Int64? = nil, applied: Bool = false, app: String? = nil) {
        sessionId = fee.sessionId
        self.fee = fee
        self.raw = raw
        self.receivedAt = receivedAt
        self.jobRowId = jobRowId
        self.applied = applied
        self.app = app
    }
}

extension CDRRecord: Codable {
    /// The columns of `cdr`: the row's own, then one per ``FeeRecord`` field.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case sessionId, receivedAt, raw, jobRowId, applied, app
        case direction, spId, appKey, icid, bindNum, callerNum, calleeNum, callEndTime, fwdUnaswRsn, failTime, ulFailReason
        case sipStatusCode, callOutStartTime, callOutAlertingTime, callOutAnswerTime, callOutUnaswRsn, dynIVRStartTime
        case dynIVRPath, recordFlag, ttsPlayTimes, ttsTransDuration, serviceType, hostName, userData
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sessionId = try c.decode(String.self, forKey: .sessionId)
        receivedAt = try c.decode(Date.self, forKey: .receivedAt)
        raw = try c.decode(String.self, forKey: .raw)
        jobRowId = try c.decodeIfPresent(Int64.self, forKey: .jobRowId)
        applied = try c.decode(Bool.self, forKey: .applied)
        app = try c.decodeIfPresent(String.self, forKey: .app)
        var fee = FeeRecord(sessionId: sessionId)
        fee.direction = try c.decodeIfPresent(Int.self, forKey: .direction)
        fee.spId = try c.decodeIfPresent(String.self, forKey: .spId)
        fee.appKey = try c.decodeIfPresent(String.self, forKey: .appKey)
        fee.icid = try c.decodeIfPresent(String.self, forKey: .icid)
        fee.bindNum = try c.decodeIfPresent(String.self, forKey: .bindNum)
        fee.callerNum = try c.decodeIfPresent(String.self, forKey: .callerNum)
        fee.calleeNum = try c.decodeIfPresent(String.self, forKey: .calleeNum)
        fee.callEndTime = try c.decodeIfPresent(String.self, forKey: .callEndTime)
        fee.fwdUnaswRsn = try c.decodeIfPresent(Int.self, forKey: .fwdUnaswRsn)
        fee.failTime = try c.decodeIfPresent(String.self, forKey: .failTime)
        fee.ulFailReason = try c.decodeIfPresent(Int.self, forKey: .ulFailReason)
        fee.sipStatusCode = try c.decodeIfPresent(Int.self, forKey: .sipStatusCode)
        fee.callOutStartTime = try c.decodeIfPresent(String.self, forKey: .callOutStartTime)
        fee.callOutAlertingTime = try c.decodeIfPresent(String.self, forKey: .callOutAlertingTime)
        fee.callOutAnswerTime = try c.decodeIfPresent(String.self, forKey: .callOutAnswerTime)
        fee.callOutUnaswRsn = try c.decodeIfPresent(Int.self, forKey: .callOutUnaswRsn)
        fee.dynIVRStartTime = try c.decodeIfPresent(String.self, forKey: .dynIVRStartTime)
        fee.dynIVRPath = try c.decodeIfPresent(String.self, forKey: .dynIVRPath)
        fee.recordFlag = try c.decodeIfPresent(Int.self, forKey: .recordFlag)
        fee.ttsPlayTimes = try c.decodeIfPresent(Int.self, forKey: .ttsPlayTimes)
        fee.ttsTransDuration = try c.decodeIfPresent(Int.self, forKey: .ttsTransDuration)
        fee.serviceType = try c.decodeIfPresent(String.self, forKey: .serviceType)
        fee.hostName = try c.decodeIfPresent(String.self, forKey: .hostName)
        fee.userData = try c.decodeIfPresent(String.self, forKey: .userData)
        self.fee = fee
    }

    /// Every column, a nil field as NULL (both drivers' encoders write
    /// `encodeIfPresent` as NULL), so an insert names the same columns each time.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sessionId, forKey: .sessionId)
        try c.encode(receivedAt, forKey: .receivedAt)
        try c.encode(raw, forKey: .raw)
        try c.encodeIfPresent(jobRowId, forKey: .jobRowId)
        try c.encode(applied, forKey: .applied)
        try c.encodeIfPresent(app, forKey: .app)
        try c.encodeIfPresent(fee.direction, forKey: .direction)
        try c.encodeIfPresent(fee.spId, forKey: .spId)
        try c.encodeIfPresent(fee.appKey, forKey: .appKey)
        try c.encodeIfPresent(fee.icid, forKey: .icid)
        try c.encodeIfPresent(fee.bindNum, forKey: .bindNum)
        try c.encodeIfPresent(fee.callerNum, forKey: .callerNum)
        try c.encodeIfPresent(fee.calleeNum, forKey: .calleeNum)
        try c.encodeIfPresent(fee.callEndTime, forKey: .callEndTime)
        try c.encodeIfPresent(fee.fwdUnaswRsn, forKey: .fwdUnaswRsn)
        try c.encodeIfPresent(fee.failTime, forKey: .failTime)
        try c.encodeIfPresent(fee.ulFailReason, forKey: .ulFailReason)
        try c.encodeIfPresent(fee.sipStatusCode, forKey: .sipStatusCode)
        try c.encodeIfPresent(fee.callOutStartTime, forKey: .callOutStartTime)
        try c.encodeIfPresent(fee.callOutAlertingTime, forKey: .callOutAlertingTime)
        try c.encodeIfPresent(fee.callOutAnswerTime, forKey: .callOutAnswerTime)
        try c.encodeIfPresent(fee.callOutUnaswRsn, forKey: .callOutUnaswRsn)
        try c.encodeIfPresent(fee.dynIVRStartTime, forKey: .dynIVRStartTime)
        try c.encodeIfPresent(fee.dynIVRPath, forKey: .dynIVRPath)
        try c.encodeIfPresent(fee.recordFlag, forKey: .recordFlag)
        try c.encodeIfPresent(fee.ttsPlayTimes, forKey: .ttsPlayTimes)
        try c.encodeIfPresent(fee.ttsTransDuration, forKey: .ttsTransDuration)
        try c.encodeIfPresent(fee.serviceType, forKey: .serviceType)
        try c.encodeIfPresent(fee.hostName, forKey: .hostName)
        try c.encodeIfPresent(fee.userData, forKey: .userData)
    }
}
