/// The body of `POST /rest/httpsessions/callVerify/v1.0` (reference table 6-3).
///
/// The prompt played after the code is sent as `posTone`, the name the
/// platform reads (Huawei's Java SDK `CallVerifyReq` and the vendor's Node
/// sample). Table 6-3 misspells it `postOne`; the platform ignores that key,
/// so a tone sent under it would silently not play.
///
/// `verifyCode` is a secret: this type's `description` never shows it, and
/// callspool never logs it.
public struct CallVerifyRequest: Codable, Sendable, Hashable, CustomStringConvertible {
    public static let path = "/rest/httpsessions/callVerify/v1.0"

    public var displayNbr: String
    public var calleeNbr: String
    /// 2 = Chinese, the only value the reference documents.
    public var languageType: Int
    public var preTone: String
    public var verifyCode: String
    /// The prompt file played after the code (the table's `postOne`).
    public var posTone: String?
    /// Times the code is played, 0–9 (0 = loop); platform default 3.
    public var times: Int?
    public var statusUrl: String?
    public var feeUrl: String?
    public var returnIdlePort: String?
    public var userData: String?

    public init(
        displayNbr: String,
        calleeNbr: String,
        languageType: Int = 2,
        preTone: String,
        verifyCode: String,
        posTone: String? = nil,
        times: Int? = nil,
        statusUrl: String? = nil,
        feeUrl: String? = nil,
        returnIdlePort: String? = nil,
        userData: String? = nil
    ) {
        self.displayNbr = displayNbr
        self.calleeNbr = calleeNbr
        self.languageType = languageType
        self.preTone = preTone
        self.verifyCode = verifyCode
        self.posTone = posTone
        self.times = times
        self.statusUrl = statusUrl
        self.feeUrl = feeUrl
        self.returnIdlePort = returnIdlePort
        self.userData = userData
    }

    public var description: String {
        "CallVerifyRequest(displayNbr: \(PhoneMask.mask(displayNbr)), calleeNbr: \(PhoneMask.mask(calleeNbr)), verifyCode: ***)"
    }
}
