import CallSpoolCore
import Foundation

/// libFuzzer target: the job-file parser. Every input is read both as a
/// `.json` file (one job or a campaign) and as a `.jsonl` file, through
/// `JobFile.open` and its streaming reader, validation included — the code
/// intake runs on whatever a writer drops into the spool.
let scratch: String = {
    // Memory-backed when possible: a file is written for every input.
    let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    let path = base + "/callspool-fuzz-jobfile-\(getpid())"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    for name in ["fuzz.json", "fuzz.jsonl"] {
        let path = scratch + "/" + name
        // Plain write(2): FileManager.createFile writes atomically and syncs.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { continue }
        let written = write(descriptor, data, size)
        close(descriptor)
        guard written == size else { continue }
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
