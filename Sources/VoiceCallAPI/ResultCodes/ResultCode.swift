/// A synchronous `resultcode` of callnotify / callVerify, with its HTTP status,
/// English description (reference tables 5-7 and 6-5) and ``ResultClass``.
///
/// The same code can mean two things: 1010010 is "Invalid digest" under 401 (a
/// wrong secret: halt) and "flow control upper limit" under 403 (slow down).
/// ``classify(httpStatus:resultcode:)`` therefore always takes both.
public struct ResultCode: Sendable, Hashable {
    public let code: String
    /// The HTTP status the reference lists the code under.
    public let httpStatus: Int
    public let description: String
    public let resultClass: ResultClass

    public init(_ code: String, _ httpStatus: Int, _ description: String, _ resultClass: ResultClass) {
        self.code = code
        self.httpStatus = httpStatus
        self.description = description
        self.resultClass = resultClass
    }

    /// The entry for this code under this status; when the code is listed under
    /// another status only, that entry.
    public static func lookup(httpStatus: Int, resultcode: String) -> ResultCode? {
        let candidates = byCode[resultcode] ?? []
        return candidates.first { $0.httpStatus == httpStatus } ?? candidates.first
    }

    /// The class of a response. A 5xx without a result code is transient; an
    /// unlisted code is ``ResultClass/unknown``.
    public static func classify(httpStatus: Int, resultcode: String?) -> ResultClass {
        guard let code = resultcode?.trimmingCharacters(in: .whitespaces), !code.isEmpty else {
            if httpStatus == 200 { return .unknown }
            if (500...599).contains(httpStatus) || httpStatus == 408 || httpStatus == 429 { return .transient }
            if httpStatus == 401 { return .halt }
            // A redirect is never followed (it would carry the signature and
            // the body elsewhere): the base URL or something in front of the
            // platform is wrong, which only an operator can fix.
            if (300...399).contains(httpStatus) { return .halt }
            return .unknown
        }
        if code == "1010010" { return httpStatus == 401 ? .halt : .flowControl }
        if let entry = lookup(httpStatus: httpStatus, resultcode: code) { return entry.resultClass }
        if let number = Int(code), (1023006...1023038).contains(number) { return .halt }
        return .unknown
    }

    /// How long to wait before probing again after a halt with this code.
    /// 1020176 blocks the client IP for 30 minutes; others use the configured default.
    public static func haltProbeOverride(resultcode: String) -> Duration? {
        resultcode == "1020176" ? .seconds(30 * 60) : nil
    }

    static let byCode: [String: [ResultCode]] = Dictionary(grouping: table, by: \.code)
}

import Foundation
