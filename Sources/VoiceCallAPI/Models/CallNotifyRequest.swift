/// The body of `POST /rest/httpsessions/callnotify/v2.0` (reference table 5-4).
///
/// `statusUrl` and `feeUrl` carry the **Base64-encoded** callback URLs, as the
/// reference requires; use ``CallbackURL`` to produce them.
public struct CallNotifyRequest: Codable, Sendable, Hashable {
    public static let path = "/rest/httpsessions/callnotify/v2.0"

    public var displayNbr: String
    public var calleeNbr: String
    public var playInfoList: [PlayContentInfo]
    public var statusUrl: String?
    public var feeUrl: String?
    /// "true" asks the platform to report its idle port count in the response.
    public var returnIdlePort: String?
    public var userData: String?

    public init(
        displayNbr: String,
        calleeNbr: String,
        playInfoList: [PlayContentInfo],
        statusUrl: String? = nil,
        feeUrl: String? = nil,
        returnIdlePort: String? = nil,
        userData: String? = nil
    ) {
        self.displayNbr = displayNbr
        self.calleeNbr = calleeNbr
        self.playInfoList = playInfoList
        self.statusUrl = statusUrl
        self.feeUrl = feeUrl
        self.returnIdlePort = returnIdlePort
        self.userData = userData
    }
}
