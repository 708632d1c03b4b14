/// One prompt of a voice notification (reference table 5-5, `PlayContentInfo`).
///
/// Exactly one of `notifyVoice` (a recorded prompt) or `templateId` (a TTS
/// template with `templateParas`) is set. The reference's table spells the key
/// `templatId`; its examples, and the platform, use `templateId`, which is what
/// is sent. `collectInd` > 0 asks the platform to collect that many DTMF digits
/// after the prompt.
///
/// The digits that trigger a replay go out as `collectContentTriggerReplaying`,
/// the platform's name (Huawei's Java SDK `PlayContentInfo`); the reference's
/// table misspells it `collectContentTriggerReplacing`, a key the platform
/// ignores.
public struct PlayContentInfo: Codable, Sendable, Hashable {
    public var notifyVoice: String?
    public var templateId: String?
    public var templateParas: [String]?
    public var collectInd: Int?
    /// "true" or "false"; only meaningful when `collectInd` > 0.
    public var replayAfterCollection: String?
    /// Digits that replay the prompt (with `replayAfterCollection` "true").
    public var collectContentTriggerReplaying: String?

    public init(
        notifyVoice: String? = nil,
        templateId: String? = nil,
        templateParas: [String]? = nil,
        collectInd: Int? = nil,
        replayAfterCollection: String? = nil,
        collectContentTriggerReplaying: String? = nil
    ) {
        self.notifyVoice = notifyVoice
        self.templateId = templateId
        self.templateParas = templateParas
        self.collectInd = collectInd
        self.replayAfterCollection = replayAfterCollection
        self.collectContentTriggerReplaying = collectContentTriggerReplaying
    }

    /// Number of digits this prompt collects (0 when it collects none).
    public var collectedDigits: Int { collectInd ?? 0 }
}
