import Foundation
import VoiceCallAPI

/// What one batch insert did.
public struct IntakeBatchResult: Sendable, Equatable {
    public var accepted = 0
    /// Ids already queued by another file (or earlier in this one).
    public var duplicates = 0
    public var duplicateIDs: [String] = []
    /// Jobs the store kept out (a suppressed callee), for the file's report.
    public var rejections: [FileReport.Rejection] = []

    package init(accepted: Int = 0, duplicates: Int = 0, duplicateIDs: [String] = []) {
        self.accepted = accepted
        self.duplicates = duplicates
        self.duplicateIDs = duplicateIDs
    }
}
