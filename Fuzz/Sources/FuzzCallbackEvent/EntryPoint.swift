#if canImport(Glibc)
import Glibc
#endif

// SwiftPM links a debug executable on Linux with `main` aliased to
// `FuzzCallbackEvent_main` (testable executables); a fuzz target has no main of its
// own, so this one hands over to libFuzzer's driver. Where SwiftPM does not
// alias, this symbol is unused and libFuzzer's own main runs. The callback
// is looked up by name: referencing the @_cdecl function from Swift would
// emit a second definition of it.
@_silgen_name("LLVMFuzzerRunDriver")
func llvmFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>, Int) -> CInt

@_cdecl("FuzzCallbackEvent_main")
public func FuzzCallbackEventMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "LLVMFuzzerTestOneInput") else {
        print("LLVMFuzzerTestOneInput not found")
        return 2
    }
    var count = argc
    var arguments = argv
    return llvmFuzzerRunDriver(&count, &arguments, unsafeBitCast(symbol, to: FuzzCallback.self))
}
