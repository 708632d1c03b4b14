import VoiceCallAPI

extension SimulatedCall {
    /// The call's CDR with every field of table 5-21 / 6-18 the platform fills.
    /// `callOutAnswerTime` and `dynIVRPath` only when answered (and digits were
    /// pressed); `failTime` only when not.
    func feeRecord() -> FeeRecord {
        var record = FeeRecord(sessionId: sessionId)
        record.direction = 0
        record.spId = spId
        record.appKey = appKey
        record.icid = icid
        record.bindNum = incoming.displayNbr
        record.callerNum = incoming.displayNbr
        record.calleeNum = incoming.calleeNbr
        record.callEndTime = timestamp(endAt)
        record.fwdUnaswRsn = 0
        record.callOutStartTime = timestamp(0)
        if alerts { record.callOutAlertingTime = timestamp(alertingAt) }
        if answered {
            record.callOutAnswerTime = timestamp(answerAt)
            record.ulFailReason = 0
            record.sipStatusCode = 0
            record.callOutUnaswRsn = 0
            if stateCode != 0 { record.ulFailReason = stateCode }
            let pressed = pressedDigits.filter { !$0.isEmpty }
            if !pressed.isEmpty {
                record.dynIVRStartTime = timestamp(answerAt)
                record.dynIVRPath = pressed.joined(separator: "-")
            }
        } else {
            record.failTime = timestamp(endAt)
            record.ulFailReason = stateCode
            record.sipStatusCode = script.disconnectStateCode == nil ? script.outcome.sipStatus : 503
            record.callOutUnaswRsn = script.disconnectStateCode == nil ? script.outcome.q850 : 47
        }
        record.recordFlag = 0
        let tts: Int
        if case .notify(_, let prompts) = incoming.kind, answered { tts = prompts } else { tts = 0 }
        record.ttsPlayTimes = tts
        record.ttsTransDuration = tts
        record.serviceType = "001"
        record.hostName = "callspool-sim"
        record.userData = incoming.userData
        return record
    }
}
