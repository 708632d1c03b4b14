/// One fee CDR of a `fee` push (tables 5-21 and 6-18), up to 50 per POST.
///
/// Every field of the notify and verify tables is modelled; the click-to-call
/// extras of table 4-23 (`fwd*`, `record*` names) and unknown fields are
/// ignored. Only `sessionId` is required here (it matches the CDR to its
/// call); the other fields the tables mark required (`direction`, `spId`,
/// `appKey`, `bindNum`, `callerNum`, `calleeNum`) are not needed for matching
/// and are optional like the rest. The
/// reference's examples misspell `spId` as `splId` (and its table as `spld`):
/// all three are read, `spId` is written. Numbers sent as strings are accepted.
public struct FeeRecord: Codable, Sendable, Hashable {
    public var direction: Int?
    public var spId: String?
    public var appKey: String?
    public var icid: String?
    public var bindNum: String?
    public var sessionId: String
    public var callerNum: String?
    public var calleeNum: String?
    public var callEndTime: String?
    public var fwdUnaswRsn: Int?
    public var failTime: String?
    public var ulFailReason: Int?
    public var sipStatusCode: Int?
    public var callOutStartTime: String?
    public var callOutAlertingTime: String?
    public var callOutAnswerTime: String?
    public var callOutUnaswRsn: Int?
    public var dynIVRStartTime: String?
    /// Keys pressed during the call, joined by "-" ("0-2-3").
    public var dynIVRPath: String?
    public var recordFlag: Int?
    public var ttsPlayTimes: Int?
    public var ttsTransDuration: Int?
    public var serviceType: String?
    public var hostName: String?
    public var userData: String?

    public init(sessionId: String) {
        self.sessionId = sessionId
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case direction, spId, splId, spld, appKey, icid, bindNum, sessionId, callerNum, calleeNum, callEndTime
        case fwdUnaswRsn, failTime, ulFailReason, sipStatusCode, callOutStartTime, callOutAlertingTime
        case callOutAnswerTime, callOutUnaswRsn, dynIVRStartTime, dynIVRPath, recordFlag, ttsPlayTimes
        case ttsTransDuration, serviceType, hostName, userData
    }

    /// Throws only when `sessionId` is missing, empty or not a string/number:
    /// without it the CDR cannot be matched to a call, and the receiver drops
    /// that one CDR (not the push). Every other field is optional for
    /// matching; a malformed value reads as absent, with a
    /// ``CallbackDecodingNote`` for the receiver to log.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let session: String?
        do {
            session = try c.decodeLenientString(forKey: .sessionId)
        } catch {
            session = nil
        }
        guard let session, !session.isEmpty else {
            throw DecodingError.keyNotFound(
                CodingKeys.sessionId, .init(codingPath: c.codingPath, debugDescription: "feeLst[].sessionId is required"))
        }
        sessionId = session
        let fields = LenientFields(c, notes: decoder.decodingNotes, sessionId: session)
        direction = fields.enumInt(.direction, known: 0...1)
        spId = fields.string(.spId) ?? fields.string(.splId) ?? fields.string(.spld)
        appKey = fields.string(.appKey)
        icid = fields.string(.icid)
        bindNum = fields.string(.bindNum)
        callerNum = fields.string(.callerNum)
        calleeNum = fields.string(.calleeNum)
        callEndTime = fields.string(.callEndTime)
        fwdUnaswRsn = fields.int(.fwdUnaswRsn)
        failTime = fields.string(.failTime)
        ulFailReason = fields.int(.ulFailReason)
        sipStatusCode = fields.int(.sipStatusCode)
        callOutStartTime = fields.string(.callOutStartTime)
        callOutAlertingTime = fields.string(.callOutAlertingTime)
        callOutAnswerTime = fields.string(.callOutAnswerTime)
        callOutUnaswRsn = fields.int(.callOutUnaswRsn)
        dynIVRStartTime = fields.string(.dynIVRStartTime)
        dynIVRPath = fields.string(.dynIVRPath)
        recordFlag = fields.enumInt(.recordFlag, known: 0...1)
        ttsPlayTimes = fields.int(.ttsPlayTimes)
        ttsTransDuration = fields.int(.ttsTransDuration)
        serviceType = Self.serviceTypeText(fields.string(.serviceType))
        if let type = serviceType, !Self.documentedServiceTypes.contains(type) {
            fields.note(.unknownValue, .serviceType, "not one of 001, 002; kept as sent")
        }
        hostName = fields.string(.hostName)
        userData = fields.string(.userData)
    }

    /// `serviceType` values the reference lists: 001 (voice notification and
    /// verification code), 002 (click-to-call).
    static let documentedServiceTypes: Set<String> = ["001", "002"]

    /// A `serviceType` sent as a number (1) reads as the documented text ("001").
    static func serviceTypeText(_ value: String?) -> String? {
        guard let value, let number = Int(value), (1...9).contains(number), value.count < 3 else { return value }
        return "00\(number)"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(direction, forKey: .direction)
        try c.encodeIfPresent(spId, forKey: .spId)
        try c.encodeIfPresent(appKey, forKey: .appKey)
        try c.encodeIfPresent(icid, forKey: .icid)
        try c.encodeIfPresent(bindNum, forKey: .bindNum)
        try c.encode(sessionId, forKey: .sessionId)
        try c.encodeIfPresent(callerNum, forKey: .callerNum)
        try c.encodeIfPresent(calleeNum, forKey: .calleeNum)
        try c.encodeIfPresent(callEndTime, forKey: .callEndTime)
        try c.encodeIfPresent(fwdUnaswRsn, forKey: .fwdUnaswRsn)
        try c.encodeIfPresent(failTime, forKey: .failTime)
        try c.encodeIfPresent(ulFailReason, forKey: .ulFailReason)
        try c.encodeIfPresent(sipStatusCode, forKey: .sipStatusCode)
        try c.encodeIfPresent(callOutStartTime, forKey: .callOutStartTime)
        try c.encodeIfPresent(callOutAlertingTime, forKey: .callOutAlertingTime)
        try c.encodeIfPresent(callOutAnswerTime, forKey: .callOutAnswerTime)
        try c.encodeIfPresent(callOutUnaswRsn, forKey: .callOutUnaswRsn)
        try c.encodeIfPresent(dynIVRStartTime, forKey: .dynIVRStartTime)
        try c.encodeIfPresent(dynIVRPath, forKey: .dynIVRPath)
        try c.encodeIfPresent(recordFlag, forKey: .recordFlag)
        try c.encodeIfPresent(ttsPlayTimes, forKey: .ttsPlayTimes)
        try c.encodeIfPresent(ttsTransDuration, forKey: .ttsTransDuration)
        try c.encodeIfPresent(serviceType, forKey: .serviceType)
        try c.encodeIfPresent(hostName, forKey: .hostName)
        try c.encodeIfPresent(userData, forKey: .userData)
    }

    /// The digits of `dynIVRPath` ("0-2-3" → ["0", "2", "3"]), empty when none.
    public var dynIVRDigits: [String] {
        guard let path = dynIVRPath else { return [] }
        return path.split(separator: "-").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Whether the CDR says the callee answered (a non-empty `callOutAnswerTime`).
    public var wasAnswered: Bool {
        guard let answer = callOutAnswerTime?.trimmingCharacters(in: .whitespaces) else { return false }
        return !answer.isEmpty
    }
}

import Foundation
