/// A call the platform accepted: the call to play, the idle port count to
/// report and the response faults of its callee.
struct Admission: Sendable {
    var call: SimulatedCall
    var idlePort: Int
    var responseDelaySeconds: Double
    var dropResponse: Bool
    var collectInfoBeforeResponse: Bool
}
