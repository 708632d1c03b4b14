/// The result of one POST to a receiver.
struct CallbackDelivery: Sendable, Hashable {
    var url: String
    var httpStatus: Int?
    var receiverResultcode: String?
    var error: String?

    /// Status events succeed on HTTP 200; fee pushes also need `resultcode`
    /// "0" when the receiver sends one (table 5-22).
    var succeeded: Bool {
        guard httpStatus == 200, error == nil else { return false }
        return receiverResultcode == nil || receiverResultcode == "0"
    }
}
