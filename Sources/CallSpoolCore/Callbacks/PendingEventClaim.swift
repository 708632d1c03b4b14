/// The sweep's rule for a pending event (both stores): it may claim a job
/// only for the application that signed it.
///
/// Exists because a push is kept pending when it names no job that can take
/// it yet; if the sweep later matched it without its application, a push
/// signed by one application could take over another's job once that job's
/// answer was lost (`unknown`), and the real call's digits, hang-up and CDR
/// would never be applied. A mismatch leaves the event pending (it ages out
/// with the sweep's horizon) and changes nothing.
enum PendingEventClaim {
    /// The job `claim` finds for an event signed by `app` (nil: unchecked),
    /// or nil when none may take it.
    static func owner(app: String?, _ claim: (String?) throws -> Int64?) throws -> Int64? {
        do {
            return try claim(app)
        } catch is CallbackApplicationMismatch {
            return nil
        }
    }
}
