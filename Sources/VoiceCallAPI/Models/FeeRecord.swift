/// One fee CDR of a `fee` push (tables 5-21 and 6-18), up to 50 per POST.
///
/// Every documented field is modelled; unknown fields are tolerated. The
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

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let session = try c.decodeLenientString(forKey: .sessionId), !session.isEmpty else {
            throw DecodingError.keyNotFound(
                CodingKeys.sessionId, .init(codingPath: c.codingPath, debugDescription: "feeLst[].sessionId is required"))
        }
        sessionId = session
        direction = try c.decodeLenientInt(forKey: .direction)
        spId = try c.decodeLenientString(forKey: .spId) ?? c.decodeLenientString(forKey: .splId)
            ?? c.decodeLenientString(forKey: .spld)
        appKey = try c.decodeLenientString(forKey: .appKey)
        icid = try c.decodeLenientString(forKey: .icid)
        bindNum = try c.decodeLenientString(forKey: .bindNum)
        callerNum = try c.decodeLenientString(forKey: .callerNum)
        calleeNum = try c.decodeLenientString(forKey: .calleeNum)
        callEndTime = try c.decodeLenientString(forKey: .callEndTime)
        fwdUnaswRsn = try c.decodeLenientInt(forKey: .fwdUnaswRsn)
        failTime = try c.decodeLenientString(forKey: .failTime)
        ulFailReason = try c.decodeLenientInt(forKey: .ulFailReason)
        sipStatusCode = try c.decodeLenientInt(forKey: .sipStatusCode)
        callOutStartTime = try c.decodeLenientString(forKey: .callOutStartTime)
        callOutAlertingTime = try c.decodeLenientString(forKey: .callOutAlertingTime)
        callOutAnswerTime = try c.decodeLenientString(forKey: .callOutAnswerTime)
        callOutUnaswRsn = try c.decodeLenientInt(forKey: .callOutUnaswRsn)
        dynIVRStartTime = try c.decodeLenientString(forKey: .dynIVRStartTime)
        dynIVRPath = try c.decodeLenientString(forKey: .dynIVRPath)
        recordFlag = try c.decodeLenientInt(forKey: .recordFlag)
        ttsPlayTimes = try c.decodeLenientInt(forKey: .ttsPlayTimes)
        ttsTransDuration = try c.decodeLenientInt(forKey: .ttsTransDuration)
        serviceType = try c.decodeLenientString(forKey: .serviceType)
        hostName = try c.decodeLenientString(forKey: .hostName)
        userData = try c.decodeLenientString(forKey: .userData)
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
