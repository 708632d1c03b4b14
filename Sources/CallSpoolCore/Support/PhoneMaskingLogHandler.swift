import Logging

/// Masks phone numbers in everything a log line carries: the message, every
/// metadata value (nested ones too), the handler's own metadata and what its
/// metadata provider adds, and an attached error.
///
/// Call sites already mask the numbers they know about, but numbers also hide
/// in job ids (`otp/+8613800000008` is a campaign job's default id), file
/// names and error texts. Wrapping the process's handler once catches all of
/// them; `callspool run` bootstraps logging with it, and tests wrap a
/// capturing handler the same way.
public struct PhoneMaskingLogHandler: LogHandler {
    public var wrapped: any LogHandler
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    public init(wrapping handler: any LogHandler) {
        var inner = handler
        metadata = inner.metadata
        metadataProvider = inner.metadataProvider
        inner.metadata = [:]
        inner.metadataProvider = nil
        wrapped = inner
    }

    public var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        if let error = event.error { merged["error"] = .string("\(error)") }
        var masked = event
        masked.error = nil
        masked.message = "\(LogRedaction.maskPhoneNumbers(in: event.message.description))"
        masked.metadata = merged.isEmpty ? nil : merged.mapValues(Self.mask)
        wrapped.log(event: masked)
    }

    static func mask(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): .string(LogRedaction.maskPhoneNumbers(in: text))
        case .stringConvertible(let convertible): .string(LogRedaction.maskPhoneNumbers(in: convertible.description))
        case .array(let values): .array(values.map(mask))
        case .dictionary(let values): .dictionary(values.mapValues(mask))
        @unknown default: .string(LogRedaction.maskPhoneNumbers(in: "\(value)"))
        }
    }
}
