import CallSpool
import Foundation

/// libFuzzer target: the job-file parser. Every input is read both as a
/// `.json` file (one job or a campaign) and as a `.jsonl` file, through
/// `JobFile.open` and its streaming reader, validation included — the code
/// intake runs on whatever a writer drops into the spool.
let scratch: String = {
    let path = NSTemporaryDirectory() + "/callspool-fuzz-jobfile-\(getpid())"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    for name in ["fuzz.json", "fuzz.jsonl"] {
        let path = scratch + "/" + name
        guard FileManager.default.createFile(atPath: path, contents: bytes) else { continue }
        guard let file = try? JobFile.open(path, maxBytes: 1 << 20) else { continue }
        _ = try? file.entries()
    }
    return 0
}

@_cdecl("FuzzJobFile_main")
public func FuzzJobFileMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return llvmFuzzerRunDriver(&count, &arguments, fuzzOneInput)
}
