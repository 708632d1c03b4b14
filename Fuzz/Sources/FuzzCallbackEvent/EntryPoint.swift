// SwiftPM links a debug executable on Linux with `main` aliased to
// `FuzzCallbackEvent_main` (testable executables); a fuzz target has no main of its
// own, so `FuzzCallbackEvent_main` (beside `LLVMFuzzerTestOneInput`: referencing a
// @_cdecl function from another file emits a second definition of it) hands
// over to libFuzzer's driver. Where SwiftPM does not alias, it is unused and
// libFuzzer's own main runs.
@_silgen_name("LLVMFuzzerRunDriver")
func llvmFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt
