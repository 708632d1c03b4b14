import Foundation
import VoiceCallAPI

/// Checks a callnotify / callVerify body with the platform's codes:
/// unreadable or structurally invalid → 403/1010002, a broken field rule →
/// 500/1020001, a display number no application owns → 403/1010023, one
/// bound to another application only → 403/1012001, template parameters that
/// do not fit the template → 403/1012005.
///
/// Bodies are read with the platform's field names only (`posTone`,
/// `collectContentTriggerReplaying`): the reference's misspellings are unknown
/// keys, ignored as the platform ignores them, so a value sent under one is lost.
struct CallRequestValidator: Sendable {
    var applications: ApplicationDirectory
    var templates: [String: [Int]]?

    /// A callnotify body from `application`.
    func validateNotify(_ body: [UInt8], from application: SimulatorApplication.Resolved) -> Result<IncomingCall, PlatformRejection> {
        guard let request = try? JSONDecoder().decode(CallNotifyRequest.self, from: Data(body)) else {
            return .failure(.init(403, "1010002"))
        }
        if request.playInfoList.contains(where: { $0.templateId != nil && $0.templateParas == nil }) {
            return .failure(.init(403, "1010002"))
        }
        if let failure = Self.fieldFailure(request.validationIssues()) { return .failure(failure) }
        let urls: (String?, String?)
        switch Self.decodeURLs(status: request.statusUrl, fee: request.feeUrl) {
        case .success(let decoded): urls = decoded
        case .failure(let failure): return .failure(failure)
        }
        if let failure = numberFailure(request.displayNbr, application: application) { return .failure(failure) }
        if let failure = templateFailure(request.playInfoList) { return .failure(failure) }
        let collect = request.playInfoList.map(\.collectedDigits).filter { $0 > 0 }
        let tts = request.playInfoList.filter { $0.templateId != nil }.count
        return .success(IncomingCall(
            kind: .notify(collect: collect, ttsPrompts: tts), displayNbr: request.displayNbr, calleeNbr: request.calleeNbr,
            userData: request.userData, statusURL: urls.0, feeURL: urls.1, returnIdlePort: request.returnIdlePort == "true",
            collectContentTriggerReplaying: request.playInfoList.map(\.collectContentTriggerReplaying)))
    }

    /// A callVerify body from `application`.
    func validateVerify(_ body: [UInt8], from application: SimulatorApplication.Resolved) -> Result<IncomingCall, PlatformRejection> {
        guard let request = try? JSONDecoder().decode(CallVerifyRequest.self, from: Data(body)) else {
            return .failure(.init(403, "1010002"))
        }
        if let failure = Self.fieldFailure(request.validationIssues()) { return .failure(failure) }
        let urls: (String?, String?)
        switch Self.decodeURLs(status: request.statusUrl, fee: request.feeUrl) {
        case .success(let decoded): urls = decoded
        case .failure(let failure): return .failure(failure)
        }
        if let failure = numberFailure(request.displayNbr, application: application) { return .failure(failure) }
        return .success(IncomingCall(
            kind: .verify(times: request.times ?? 3), displayNbr: request.displayNbr, calleeNbr: request.calleeNbr,
            userData: request.userData, statusURL: urls.0, feeURL: urls.1, returnIdlePort: request.returnIdlePort == "true",
            posTone: request.posTone))
    }

    /// 1010023 for a number no application owns, 1012001 for one bound to
    /// other applications only; nil when `application` may use it.
    func numberFailure(_ displayNbr: String, application: SimulatorApplication.Resolved) -> PlatformRejection? {
        if application.displayNumbers.contains(displayNbr) { return nil }
        guard applications.allDisplayNumbers.contains(displayNbr) else { return PlatformRejection(403, "1010023") }
        return PlatformRejection(403, "1012001")
    }

    static func fieldFailure(_ issues: [ValidationIssue]) -> PlatformRejection? {
        guard let first = issues.first else { return nil }
        return PlatformRejection(500, "1020001", "Parameter error. (\(first))")
    }

    /// The callback URLs as strings; each must be Base64 of a URL the platform allows.
    static func decodeURLs(status: String?, fee: String?) -> Result<(String?, String?), PlatformRejection> {
        var decoded: [String?] = []
        for (field, value) in [("statusUrl", status), ("feeUrl", fee)] {
            guard let value, !value.isEmpty else {
                decoded.append(nil)
                continue
            }
            guard let data = Data(base64Encoded: value), let url = String(data: data, encoding: .utf8),
                CallbackURL.check(url, field: field) == nil
            else {
                return .failure(PlatformRejection(500, "1020001", "Parameter error. (\(field) is not the Base64 of an allowed URL)"))
            }
            decoded.append(url)
        }
        return .success((decoded[0], decoded[1]))
    }

    func templateFailure(_ prompts: [PlayContentInfo]) -> PlatformRejection? {
        guard let templates else { return nil }
        for prompt in prompts {
            guard let id = prompt.templateId else { continue }
            let paras = prompt.templateParas ?? []
            guard let limits = templates[id] else { return Self.templateRejection("templateId \(id)") }
            if paras.count != limits.count { return Self.templateRejection("count \(paras.count)") }
            for (index, para) in paras.enumerated() where para.count > limits[index] {
                return Self.templateRejection("[\(index)]")
            }
        }
        return nil
    }

    static func templateRejection(_ what: String) -> PlatformRejection {
        PlatformRejection(403, "1012005", "\(what) of templateParas does not meet template requirements.")
    }
}
