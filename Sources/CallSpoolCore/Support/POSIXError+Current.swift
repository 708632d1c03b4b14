import Foundation

extension POSIXError {
    /// The error `errno` holds now, saying what was being done.
    public static func current(_ what: String) -> any Error {
        let code = errno
        return NSError(domain: NSPOSIXErrorDomain, code: Int(code), userInfo: [NSLocalizedDescriptionKey: "\(what): \(String(cString: strerror(code)))"])
    }
}
