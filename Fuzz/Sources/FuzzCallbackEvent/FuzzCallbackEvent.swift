import Foundation
import VoiceCallAPI

/// libFuzzer target: the status-event and CDR decoders, the code behind the
/// callback receiver's public HTTP endpoints. A decoded event is encoded
/// again to walk the encoders over what the decoder accepted; the
/// receiver's own reading (``CallbackPayload``) also cuts each CDR's text
/// out of an accepted fee push (`FeeListText`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = UnsafeBufferPointer(start: data, count: size)
    if let event = try? CallbackEvent.decode(body) {
        _ = try? JSONEncoder().encode(event)
    }
    if let payload = try? CallbackPayload.decode(body), let texts = payload.feeTexts {
        _ = texts.reduce(0) { $0 + $1.utf8.count }
    }
    return 0
}

@_cdecl("FuzzCallbackEvent_main")
public func FuzzCallbackEventMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return llvmFuzzerRunDriver(&count, &arguments, fuzzOneInput)
}
