// Example payloads from the platform's API reference (the VoiceCall API reference and
// sample-nodejs-verify-and-callbacks.txt), copied byte for byte by a script.
// Multi-line raw strings keep the reference's line breaks and trailing blanks.
// Do not reformat this file.

enum ReferencePayloads {
    /// §5.3 表5-12 callout (reference line 1677), verbatim.
    static let notifyCallout = #"""
{"eventType":"callout","statusInfo": {"sessionId":"1202_14260_4294967295_20190124024846@callenabler245.huaweicaas.com","timestamp":"2019-01-24 02:48:46","caller":"+86138***0022","called":"+86138***0021"}}
"""#

    /// §5.3 表5-13 alerting (lines 1694–1695), verbatim, with the stray leading '>'.
    static let notifyAlerting = #"""
>{"eventType":"alerting","statusInfo":
{"sessionId":"1202_14260_4294967295_20190124024846@callenabler245.huaweicaas.com","timestamp":"2019-01-24 02:48:47","caller":"+86138****0022","called":"+86138****0021"}}
"""#

    /// §5.3 表5-14 answer (lines 1712–1713), verbatim, with the stray leading '>'.
    static let notifyAnswer = #"""
>{"eventType":"answer","statusInfo":
{"sessionId":"1202_14260_4294967295_20190124024846@callenabler245.huaweicaas.com","timestamp":"2019-01-24 02:49:12","caller":"+86138****0022","called":"+86138****0021"}}
"""#

    /// §5.3 表5-15 collectInfo (line 1730), verbatim (note the 'callenable245' host).
    static let notifyCollectInfo = #"""
{"eventType":"collectInfo","statusInfo": {"sessionId":"1202_14260_4294967295_20190124024846@callenable245.huaweicaas.com","timestamp":"2019-01-24 02:49:12","digitInfo":"02"}}
"""#

    /// §5.3 表5-16 disconnect (lines 1753–1756), verbatim: trailing blanks, the
    /// timestamp wrapped as "20  ⏎19-01-24 02:49:23" and stateDesc wrapped after "user".
    static let notifyDisconnect = #"""
{"eventType":"disconnect","statusInfo":  
{"sessionId":"1202_14260_4294967295_20190124024846@callenabler245.huaweicaas.com","timestamp":"20  
19-01-24 02:49:23","caller":"+86138***0022","called":"+86138***0021","stateCode":0,"stateDesc":"The user  
releases the call."}}
"""#

    /// §6.3 callout (lines 2264–2265), verbatim, with the stray leading '>'.
    static let verifyCallout = #"""
>{"eventType":"callout","statusInfo":
{"sessionId":"1202_14260_4294967295_20190124024846@callenabler245.huaweicaas.com","timestamp":"2019-01-24 02:48:46","caller":"+86138***0022","called":"+86138***0021"}}
"""#

    /// §6.3 alerting (lines 2282 and 2286). RECONSTRUCTED: the text splits it over two
    /// code blocks and drops the closing '}' of the outer object; the two lines are
    /// joined by the line break and one '}' is appended. Each line is otherwise verbatim.
    static let verifyAlerting = #"""
>{"eventType":"alerting","statusInfo":
{"sessionId":"1202_14260_4294967295_20190124024846@callenabler245.huaweicaas.com","timestamp":"2019-01-24 02:48:47","caller":"+86138****0022","called":"+86138****0021"}}
"""#

    /// §6.3 answer (lines 2304–2305), verbatim.
    static let verifyAnswer = #"""
{"eventType":"answer","statusInfo":
{"sessionId":"1202_14260_4294967295_20190124024846@callenabler245.huaweicaas.com","timestamp":"2019-01-24 02:49:12","caller":"+86138****0022","called":"+86138****0021"}}
"""#

    /// §6.3 disconnect (line 2326), verbatim.
    static let verifyDisconnect = #"""
{"eventType":"disconnect","statusInfo": {"sessionId":"1202_14260_4294967295_20190124024846@callenable245.huaweicaas.com","timestamp":"2019-01-24 02:49:23","caller":"+86138****0022","called":"+86138****0021","stateCode":0,"stateDesc":"The user releases the call."}}
"""#

    /// §5.4 fee example (lines 1883–1888). RECONSTRUCTED: the text is garbled. Its
    /// first block ends early with `"callEndTime":"2019-01-24T14:26:00Z"}]` and a code
    /// fence, and the second block continues `019-01-24 02:49:23","fwdUnaswRsn":0,…`
    /// and ends with `…"hostName":"callenable245.huaweicaas.com"]}}`. Reconstructed:
    /// callEndTime is the wrapped value "2019-01-24 02:49:23" (its lost leading "2"
    /// restored, the premature "2019-01-24T14:26:00Z"}] dropped), the record is closed
    /// with `}` and the body with `]}`. Every other record field (including the
    /// "splId" typo and the "callenable245" host) and the line layout are verbatim.
    static let notifyFee = #"""
{"eventType":"fee","feeLst": [
    {"direction":0,"splId":"CaaS_Test_01","appKey":"x0GexpPpyRKhbA7ZC7kXBN8uX8vl","icid":"CAE-20190124104846-12028700","bindNum":"+8675528***02","sessionId":"1202_14260_4294967295_20190124024846@callenabler245.huaweicaas.com","callerNum":"+86138***0022","calleeNum":"+86138***0021","callEndTime":"2019-01-24 02:49:23","fwdUnaswRsn":0,"ulFailReason":0,"sipStatusCode":0,"callOutStartTime":"2019-01-24 02:48:46","callOutAlertingTime":"2019-01-24 02:48:51","callOutAnswerTime":"2019-01-24 02:49:12","callOutUnaswRsn":0,"recordFlag":0,"ttsPlayTimes":1,"ttsTransDuration":1,"serviceType":"001","hostName":"callenable245.huaweicaas.com"}]}
"""#

    /// §6.4 fee example (lines 2452–2453). RECONSTRUCTED: the text shows an empty
    /// `>{"eventType":"fee","feeLst":[]}` followed by the record array on its own
    /// line. The array (verbatim, line 2453) is put in place of `[]`, after a line
    /// break; the stray '>' is kept.
    static let verifyFee = #"""
>{"eventType":"fee","feeLst":
[{"direction":0,"spId":"CaaS_Test_01","appKey":"7VN6w60Pl3e1E5C8310517x32698","icid":"CAE-20190124105808-12009374","bindNum":"+8675528***02","sessionId":"1200_164_4294967295_20190124025808@callenabler245.huaweicaas.com","callerNum":"+86138****0021","calleeNum":"+86138****7021","callEndTime":"2019-01-24 02:58:36","fwdUnaswRsn":0,"ulFailReason":0,"sipStatusCode":0,"callOutStartTime":"2019-01-24 02:58:08","callOutAlertingTime":"2019-01-24 02:58:13","callOutAnswerTime":"2019-01-24 02:58:24","callOutUnaswRsn":0,"recordFlag":0,"ttsPlayTimes":0,"ttsTransDuration":0,"serviceType":"001","hostName":"callenabler245.huaweicaas.com"}]}
"""#

    /// The Node.js sample's fee body (sample-nodejs-verify-and-callbacks.txt, 话单通知API):
    /// what its `JSON.stringify({...})` sends, produced with
    /// `json.dumps(obj, separators=(",", ":"), ensure_ascii=False)` from the literal.
    static let nodeSampleFee = #"""
{"eventType":"fee","feeLst":[{"direction":0,"spId":"CaaS_Test_01","appKey":"ka4kESI5s3YyurL1wpx63s9YnEm2","icid":"CAE-20190124110424-12019775","bindNum":"+8675512345678","sessionId":"1201_612_4294967295_20190124030424@callenabler245.huaweicaas.com","callerNum":"+8613800000022","calleeNum":"+8613800000021","fwdDisplayNum":"+8613800000022","fwdDstNum":"+8613866887021","fwdStartTime":"2019-01-24 03:04:31","fwdAlertingTime":"2019-01-24 03:04:36","fwdAnswerTime":"2019-01-24 03:04:38","callEndTime":"2019-01-24 03:04:49","fwdUnaswRsn":0,"ulFailReason":0,"sipStatusCode":0,"callOutStartTime":"2019-01-24 03:04:24","callOutAlertingTime":"2019-01-24 03:04:27","callOutAnswerTime":"2019-01-24 03:04:31","callOutUnaswRsn":0,"recordFlag":0,"ttsPlayTimes":0,"ttsTransDuration":0,"serviceType":"002","hostName":"callenabler245.huaweicaas.com"}]}
"""#

    /// The Node.js sample's callout body (呼叫状态通知API), as JSON.stringify sends it.
    static let nodeSampleCallout = #"""
{"eventType":"callout","statusInfo":{"sessionId":"1201_612_4294967295_20190124030424@callenabler245.huaweicaas.com","timestamp":"2019-01-24 03:04:24","caller":"+8613800000022","called":"+8613800000021"}}
"""#

    /// §5.2 / §6.2 response example (lines 1575–1579), verbatim.
    static let callResponse = #"""
{
"resultcode":"0",
"resultdesc":"Success",
"sessionId":"1200_366_0_20161228102743@callenabler.home1.com"
}
"""#

    /// §5.4 表5-22 response example (line 1908), verbatim.
    static let feeResponse = #"""
{"resultcode":"0","resultdesc":"Success"}
"""#
}
