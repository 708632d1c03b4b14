/// How a placed call ended (docs/states.md, contract names).
public enum Outcome: String, Codable, Sendable, CaseIterable {
    case answered
    case noAnswer = "no_answer"
    case busy
    case unreachable
    case poweredOff = "powered_off"
    case rejected
    /// The platform refused after accepting (7001–7003, 7109): requeued, not final.
    case throttled
    case error

    /// The outcome of a disconnect `stateCode`: every code of the reference's
    /// hang-up cause table (appendix 7.1, plus the codes the teardown table of
    /// appendix 7.3 adds to that range) is listed, so a code is never
    /// `error` by omission. docs/callbacks.md has the same table for users.
    public init(stateCode: Int) {
        switch stateCode {
        // The person answered: hung up after connecting; answered but pressed
        // no key within 5 s of the prompt; cut off at the maximum call length.
        case 0, 8008, 8010: self = .answered
        // Ringing timed out; the callee did not answer.
        case 8003, 8101: self = .noAnswer
        // The callee is busy (in a call, ringing).
        case 8102: self = .busy
        // The number does not exist; temporarily unreachable; hung up or
        // suspended (out of service).
        case 8100, 8103, 8105: self = .unreachable
        // Powered off, flight mode, no network.
        case 8104: self = .poweredOff
        // Hung up while ringing; the calling side hung up before connecting.
        case 8004, 8009: self = .rejected
        // Developer, application or display-number call frequency control;
        // voice ports exhausted: the platform refused after accepting.
        case 7001, 7002, 7003, 7109: self = .throttled
        // Callee blacklisted (7004), user frozen (7108), internal errors
        // (8000, 8011), not connected for an unspecified reason (8001), the
        // far end played a failure announcement (8002), TTS conversion
        // failed (8005), voice file missing (8006), playing to the user
        // failed (8007), invalid app_key (8012), recording failed (8015),
        // hang-up instructed by the customer (8017), no permission for the
        // service (8018), service exception (8020), and the calling-party
        // codes of click-to-call (8106–8111).
        case 7004, 7108, 8000, 8001, 8002, 8005, 8006, 8007, 8011, 8012, 8015, 8017, 8018, 8020,
            8106, 8107, 8108, 8109, 8110, 8111:
            self = .error
        default: self = .error
        }
    }

    /// Outcomes a redial policy may name.
    public static let redialable: [Outcome] = [.noAnswer, .busy, .unreachable, .poweredOff, .rejected, .error]
}
