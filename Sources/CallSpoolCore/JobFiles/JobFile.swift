import Crypto
import Foundation
import VoiceCallAPI

/// A job file of docs/job-files.md: one job or a campaign (`.json`), or one job per
/// line (`.jsonl`).
///
/// Opening checks what must hold for the whole file (size, format, the
/// campaign's structure and defaults) and throws ``JobFileError`` when the file
/// cannot be read at all. ``reader()`` then streams the jobs one by one, each
/// either a ``JobSpec`` or the ``JobIssues`` that keep it out, so a file of a
/// million jobs never sits in memory and one bad job does not sink the rest.
public struct JobFile: Sendable {
    public enum Format: String, Sendable {
        case json, jsonl
    }

    public enum Kind: Sendable, Hashable {
        case single
        case campaign(String)
        case lines
    }

    /// One job read from the file.
    public struct Entry: Sendable {
        public var position: JobPosition
        public var result: Result<JobSpec, JobIssues>
        /// Findings that do not keep the job out (a field given under an alias).
        public var warnings: [ValidationIssue] = []

        /// The job's id: the accepted job's, or the one the rejected job gave.
        public var id: String? {
            switch result {
            case .success(let job): job.id
            case .failure(let issues): issues.id
            }
        }
    }

    public static let maxJobBytes = 1 << 20
    public static let campaignKeys: Set<String> = ["campaign", "type", "defaults", "jobs"]

    public let path: String
    public let format: Format
    public let kind: Kind
    public let size: Int64
    let defaults: JobDraft
    /// Warnings about the campaign's `defaults` (paths start with `defaults.`):
    /// reported once for the file, not for every job that inherits them.
    public var defaultsWarnings: [ValidationIssue] { defaults.warnings.map { $0.nested(under: "defaults") } }
    let jobsOffset: Int64?
    let singleJob: [UInt8]?
    /// The descriptor every read goes through: the file checked at opening
    /// is the file read, whatever happens to its name meanwhile.
    let opened: OpenedFile

    init(path: String, opened: OpenedFile, format: Format, kind: Kind, size: Int64, defaults: JobDraft, jobsOffset: Int64?, singleJob: [UInt8]?) {
        self.path = path
        self.opened = opened
        self.name = (path as NSString).lastPathComponent
        self.format = format
        self.kind = kind
        self.size = size
        self.defaults = defaults
        self.jobsOffset = jobsOffset
        self.singleJob = singleJob
    }

    public let name: String
    public var campaign: String? { if case .campaign(let name) = kind { name } else { nil } }

    /// The format for a file name, or nil when callspool does not read it.
    public static func format(forName name: String) -> Format? {
        let lower = name.lowercased()
        if lower.hasSuffix(".jsonl") { return .jsonl }
        if lower.hasSuffix(".json") { return .json }
        return nil
    }

    /// Opens and checks `path`. Refuses files over `maxBytes` without reading
    /// them, and anything but a regular file without blocking on it.
    public static func open(_ path: String, maxBytes: Int64 = 256 << 20) throws(JobFileError) -> JobFile {
        let name = (path as NSString).lastPathComponent
        guard format(forName: name) != nil else {
            throw JobFileError(file: name, kind: .unknownFormat, reason: "unknown format: the name must end in .json or .jsonl")
        }
        let opened: OpenedFile
        do {
            opened = try OpenedFile.open(path)
        } catch {
            throw JobFileError(file: name, kind: .unreadable, reason: "cannot read: \(String(cString: strerror(error.code))) (errno \(error.code))")
        }
        return try open(opened, path: path, maxBytes: maxBytes)
    }

    /// Checks a file already opened (with ``OpenedFile``); `path` gives its
    /// name and format.
    public static func open(_ opened: OpenedFile, path: String, maxBytes: Int64 = 256 << 20) throws(JobFileError) -> JobFile {
        let name = (path as NSString).lastPathComponent
        func fail(_ reason: String, _ kind: JobFileError.Kind = .malformed) -> JobFileError { JobFileError(file: name, kind: kind, reason: reason) }
        guard let format = format(forName: name) else {
            throw fail("unknown format: the name must end in .json or .jsonl", .unknownFormat)
        }
        guard opened.kind == .regular else { throw fail("not a regular file: it is \(opened.kind.rawValue)", .notRegularFile) }
        let size = opened.size
        guard size <= maxBytes else {
            throw fail("file is \(size) bytes, over the limit of \(maxBytes) (spool.max_file_bytes); split it into smaller files", .tooLarge)
        }
        guard size > 0 else { throw fail("file is empty", .notJSONObject) }
        if format == .jsonl {
            return JobFile(path: path, opened: opened, format: .jsonl, kind: .lines, size: size, defaults: JobDraft(), jobsOffset: nil, singleJob: nil)
        }
        do {
            let handle = try opened.handle()
            defer { try? handle.close() }
            return try scanTopLevel(path: path, opened: opened, name: name, size: size, handle: handle)
        } catch let error as JobFileError {
            throw error
        } catch let error as JSONScanner.SyntaxError {
            throw fail("not valid JSON: \(error)", .notJSONObject)
        } catch {
            throw fail("cannot read: \(error)", .unreadable)
        }
    }

    private static func scanTopLevel(path: String, opened: OpenedFile, name: String, size: Int64, handle: FileHandle) throws -> JobFile {
        func fail(_ reason: String, _ kind: JobFileError.Kind = .malformed) -> JobFileError { JobFileError(file: name, kind: kind, reason: reason) }
        var scanner = JSONScanner(source: ByteSource(handle: handle))
        try scanner.skipByteOrderMark()
        try scanner.skipSpace()
        guard let first = try scanner.source.peek() else { throw fail("file holds only blanks", .notJSONObject) }
        guard first == UInt8(ascii: "{") else {
            throw fail("not a job file: expected a JSON object ('{'), found \(JSONScanner.show(first)) at byte \(scanner.source.offset)", .notJSONObject)
        }
        let objectStart = scanner.source.offset
        _ = try scanner.source.next()
        var values: [String: [UInt8]] = [:]
        var jobsOffset: Int64?
        var jobCount = 0
        try scanner.skipSpace()
        if try scanner.source.peek() == UInt8(ascii: "}") {
            _ = try scanner.source.next()
        } else {
            while true {
                try scanner.skipSpace()
                let key = try scanner.scanKey()
                if key == "jobs", try scanner.source.peek() == UInt8(ascii: "[") {
                    jobsOffset = scanner.source.offset
                    jobCount = try skipArray(&scanner)
                } else {
                    var value: [UInt8] = []
                    try scanner.scanValue(into: &value, limit: maxJobBytes, capturing: true)
                    values[key] = value
                }
                try scanner.skipSpace()
                guard let separator = try scanner.source.next() else { throw scanner.error("unexpected end of file inside the top-level object") }
                if separator == UInt8(ascii: "}") { break }
                guard separator == UInt8(ascii: ",") else { throw scanner.error("expected ',' or '}', found \(JSONScanner.show(separator))") }
            }
        }
        try scanner.skipSpace()
        if let extra = try scanner.source.peek() {
            throw fail("unexpected \(JSONScanner.show(extra)) after the JSON object at byte \(scanner.source.offset)", .notJSONObject)
        }
        let isCampaign = jobsOffset != nil || values["jobs"] != nil || values["campaign"] != nil || values["defaults"] != nil
        guard isCampaign else {
            guard size <= Int64(maxJobBytes) else { throw fail("a single-job file must be under 1 MiB") }
            try handle.seek(toOffset: UInt64(objectStart))
            let bytes = [UInt8](try handle.readToEnd() ?? Data())
            return JobFile(path: path, opened: opened, format: .json, kind: .single, size: size, defaults: JobDraft(), jobsOffset: nil, singleJob: bytes)
        }
        return try campaign(path: path, opened: opened, name: name, size: size, values: values, jobsOffset: jobsOffset, jobCount: jobCount)
    }

    private static func campaign(path: String, opened: OpenedFile, name: String, size: Int64, values: [String: [UInt8]], jobsOffset: Int64?, jobCount: Int) throws -> JobFile {
        func fail(_ reason: String, _ kind: JobFileError.Kind = .malformed) -> JobFileError { JobFileError(file: name, kind: kind, reason: reason) }
        for key in values.keys.sorted() where !campaignKeys.contains(key) {
            var reason = "\(key): unknown field in a campaign file (allowed: campaign, type, defaults, jobs)"
            if let guess = Spelling.closest(to: key, among: campaignKeys) { reason += "; did you mean '\(guess)'?" }
            throw fail(reason)
        }
        let decoder = JSONDecoder()
        guard let rawName = values["campaign"] else { throw fail("campaign: a file with a jobs array needs a campaign name") }
        guard let campaignName = try? decoder.decode(String.self, from: Data(rawName)), JobValidator.campaignLength.contains(campaignName.utf8.count),
            !TextRules.hasControl(campaignName)
        else {
            throw fail("campaign: must be a string of 1–100 bytes in UTF-8 without control characters")
        }
        guard jobsOffset != nil else {
            throw fail(values["jobs"] == nil ? "jobs: a campaign file needs a jobs array" : "jobs: must be an array of job objects")
        }
        var defaults = JobDraft()
        if let raw = values["defaults"] {
            do {
                defaults = try JobDraft(json: try JSONValue.parse(Data(raw)))
            } catch {
                throw fail("defaults: must be a JSON object of job fields")
            }
            var issues = defaults.issues + JobValidator.standaloneIssues(defaults)
            for field in ["id", "calleeNbr"] where (field == "id" ? defaults.id : defaults.calleeNbr) != nil {
                issues.append(.init(field: field, rule: "belongs to each job, not to defaults"))
            }
            if !issues.isEmpty {
                throw fail(issues.map { $0.nested(under: "defaults").description }.joined(separator: "; "))
            }
        }
        if let rawType = values["type"] {
            guard let type = try? decoder.decode(String.self, from: Data(rawType)), JobType(rawValue: type) != nil else {
                throw fail("type: must be \"verify\" or \"notify\"")
            }
            if let inner = defaults.type, inner != type { throw fail("type: \"\(type)\" contradicts defaults.type \"\(inner)\"") }
            defaults.type = type
        }
        defaults.campaign = campaignName
        _ = jobCount
        return JobFile(path: path, opened: opened, format: .json, kind: .campaign(campaignName), size: size, defaults: defaults, jobsOffset: jobsOffset, singleJob: nil)
    }

    /// Walks an array (the '[' is next), checking its structure; returns its element count.
    private static func skipArray(_ scanner: inout JSONScanner) throws -> Int {
        var ignored: [UInt8] = []
        _ = try scanner.source.next()
        try scanner.skipSpace()
        if try scanner.source.peek() == UInt8(ascii: "]") {
            _ = try scanner.source.next()
            return 0
        }
        var count = 0
        while true {
            try scanner.skipSpace()
            try scanner.scanValue(into: &ignored, limit: maxJobBytes, capturing: false)
            count += 1
            try scanner.skipSpace()
            guard let separator = try scanner.source.next() else { throw scanner.error("unexpected end of file inside the jobs array") }
            if separator == UInt8(ascii: "]") { return count }
            guard separator == UInt8(ascii: ",") else { throw scanner.error("expected ',' or ']' in the jobs array, found \(JSONScanner.show(separator))") }
        }
    }

    /// Streams the file's jobs.
    public func reader() throws(JobFileError) -> Reader {
        do {
            return Reader(file: self, handle: try opened.handle())
        } catch {
            throw JobFileError(file: name, kind: .unreadable, reason: "cannot read: \(error)")
        }
    }

    /// Reads all entries (for small files and tests).
    public func entries() throws(JobFileError) -> [Entry] {
        var reader = try reader()
        var result: [Entry] = []
        while let entry = try reader.next() { result.append(entry) }
        return result
    }
}

extension JobFile {
    /// Pulls jobs from a ``JobFile`` one at a time.
    public struct Reader {
        let file: JobFile
        let handle: FileHandle
        var scanner: JSONScanner
        var started = false
        var finished = false
        var index = 0
        var line = 0

        init(file: JobFile, handle: FileHandle) {
            self.file = file
            self.handle = handle
            self.scanner = JSONScanner(source: ByteSource(handle: handle))
        }

        public mutating func close() { try? handle.close() }

        public mutating func next() throws(JobFileError) -> Entry? {
            guard !finished else { return nil }
            do {
                let entry: Entry?
                switch file.kind {
                case .single: entry = nextSingle()
                case .campaign: entry = try nextCampaignJob()
                case .lines: entry = try nextLine()
                }
                if entry == nil { finished = true; close() }
                return entry
            } catch let error as JobFileError {
                finished = true
                close()
                throw error
            } catch {
                finished = true
                close()
                throw JobFileError(file: file.name, kind: .unreadable, reason: "read failed after \(index + line) jobs: \(error)")
            }
        }

        private mutating func nextSingle() -> Entry? {
            guard !started, let bytes = file.singleJob else { return nil }
            started = true
            return file.decodeJob(bytes, position: .single)
        }

        private mutating func nextCampaignJob() throws -> Entry? {
            if !started {
                started = true
                guard let offset = file.jobsOffset else { return nil }
                try scanner.source.seek(to: offset)
                _ = try scanner.source.next()  // '['
                try scanner.skipSpace()
                if try scanner.source.peek() == UInt8(ascii: "]") { return nil }
            }
            try scanner.skipSpace()
            guard let first = try scanner.source.peek(), first != UInt8(ascii: "]") else { return nil }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(256)
            try scanner.scanValue(into: &bytes, limit: JobFile.maxJobBytes, capturing: true)
            try scanner.skipSpace()
            let separator = try scanner.source.next()
            let position = JobPosition.index(index)
            index += 1
            if separator == UInt8(ascii: "]") {
                // Mark the end: the next call returns nil.
                try scanner.source.seek(to: file.size)
            }
            return file.decodeJob(bytes, position: position)
        }

        private mutating func nextLine() throws -> Entry? {
            while true {
                var bytes: [UInt8] = []
                let (read, truncated) = try scanner.source.readLine(into: &bytes, limit: JobFile.maxJobBytes)
                guard read else { return nil }
                line += 1
                if line == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
                while let last = bytes.last, JSONScanner.isSpace(last) { bytes.removeLast() }
                guard bytes.contains(where: { !JSONScanner.isSpace($0) }) else { continue }
                let position = JobPosition.line(line)
                if truncated {
                    return Entry(position: position, result: .failure(.init(id: nil, issues: [.init(field: "line", rule: "is longer than 1 MiB")])))
                }
                return file.decodeJob(bytes, position: position)
            }
        }
    }

    /// Decodes, merges and validates one job's bytes.
    func decodeJob(_ bytes: [UInt8], position: JobPosition) -> Entry {
        func failure(_ issue: ValidationIssue) -> Entry {
            Entry(position: position, result: .failure(JobIssues(id: nil, issues: [issue])))
        }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            return failure(.init(field: "job", rule: "is not valid UTF-8 text"))
        }
        let json: JSONValue
        do {
            json = try JobJSONParser.parse(bytes)
        } catch {
            return failure(Self.describe(error, bytes: bytes))
        }
        guard let draft = try? JobDraft(json: json) else {
            return failure(.init(field: "job", rule: "must be a JSON object"))
        }
        var merged = draft.merged(over: defaults)
        var warnings = draft.warnings
        // One spelling per person: the suppression list, the guard and the
        // generated ids all see the E.164 form.
        if let callee = merged.calleeNbr, case .rewritten(let number, let how)? = CalleeNumber.normalise(callee) {
            merged.calleeNbr = number
            warnings.append(ValidationIssue(field: "calleeNbr", rule: "rewritten to E.164 (\(how))"))
        }
        let fileName = name
        var result = JobValidator.validate(merged) {
            if let campaign = merged.campaign, case .campaign = kind, let callee = merged.calleeNbr {
                return Self.campaignJobID(campaign: campaign, callee: callee)
            }
            return Self.generatedID(fileName: fileName, position: position, bytes: bytes)
        }
        if merged.id == nil, let campaign = merged.campaign, case .campaign = kind, let callee = merged.calleeNbr, case .success(var spec) = result,
            spec.id != "\(campaign)/\(callee)"
        {
            spec.formerID = "\(campaign)/\(callee)"
            result = .success(spec)
        }
        return Entry(position: position, result: result, warnings: warnings)
    }

    /// The id of a campaign job without one: `<campaign>/n-<hash>`, stable
    /// (a campaign dropped again queues nobody twice) and free of the
    /// callee's number, which ids carry into reports, logs and file names.
    public static func campaignJobID(campaign: String, callee: String) -> String {
        let digest = SHA256.hash(data: Data(callee.utf8))
        return "\(campaign)/n-" + HexText.lowercase(digest.prefix(8))
    }

    /// A stable id for a job without one: the same file re-read after a crash
    /// yields the same ids, so nothing is queued twice.
    static func generatedID(fileName: String, position: JobPosition, bytes: [UInt8]) -> String {
        var hasher = SHA256()
        hasher.update(data: Data(fileName.utf8))
        hasher.update(data: Data("\u{0}\(position)\u{0}".utf8))
        hasher.update(data: bytes)
        return "auto-" + HexText.lowercase(hasher.finalize().prefix(10))
    }

    static func describe(_ error: any Error, bytes: [UInt8]) -> ValidationIssue {
        if String(validating: bytes, as: UTF8.self) == nil {
            return .init(field: "job", rule: "is not valid UTF-8 text")
        }
        let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey].map { "\($0)" } ?? "\(error)"
        return .init(field: "job", rule: "is not valid JSON (\(detail))")
    }
}
