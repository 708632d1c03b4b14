import CallSpoolCore
/// What one reload did, for the log and for tests.
public enum ReloadOutcome: Sendable, Equatable {
    /// The file was read; `changes.applied` took effect, `changes.refused` did not.
    case reloaded(ConfigurationChanges)
    /// The file could not be read or is invalid: nothing changed.
    case failed(String)
}
