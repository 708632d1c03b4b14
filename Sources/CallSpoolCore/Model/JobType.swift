/// The two kinds of call callspool places.
public enum JobType: String, Codable, Sendable, CaseIterable {
    /// `callVerify`: a login code, played on answer. Dispatched before any notify job.
    case verify
    /// `callnotify`: prompts or TTS templates, optionally collecting DTMF digits.
    case notify
}
