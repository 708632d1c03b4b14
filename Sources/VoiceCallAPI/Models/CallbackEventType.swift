/// The `eventType` of a platform push (tables 5-11, 5-20).
public enum CallbackEventType: String, Codable, Sendable, CaseIterable {
    case callout, alerting, answer, collectInfo, disconnect, fee
}
