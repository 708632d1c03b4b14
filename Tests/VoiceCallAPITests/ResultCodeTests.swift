import Testing
import VoiceCallAPI

/// The classification of every code of reference tables 5-7 and 6-5 (docs/result-codes.md).
@Suite struct ResultCodeTests {
    /// (HTTP status, resultcode, class): the union of tables 5-7 and 6-5 as the
    /// reference lists them (6-5 is 5-7 without 1012005), with docs/result-codes.md's class.
    static let referenceCodes: [(Int, String, ResultClass)] = [
        (200, "0", .ok),
        // 400: malformed authentication headers (docs/result-codes.md: halt, 1023006–1023038)
        (400, "1023006", .halt), (400, "1023007", .halt), (400, "1023008", .halt), (400, "1023009", .halt),
        (400, "1023010", .halt), (400, "1023011", .halt), (400, "1023012", .halt), (400, "1023033", .halt),
        (400, "1023034", .halt), (400, "1023035", .halt), (400, "1023036", .halt), (400, "1023037", .halt),
        (400, "1023038", .halt),
        // 401
        (401, "1010010", .halt), (401, "1010013", .halt),
        // 403
        (403, "1010002", .job), (403, "1010003", .halt),
        (403, "1010006", .halt),  // not named in docs/result-codes.md: "invalid REST API" is a client/config fault
        (403, "1010008", .halt), (403, "1010009", .flowControl), (403, "1010010", .flowControl),
        (403, "1010011", .halt), (403, "1010021", .halt), (403, "1010023", .number), (403, "1010024", .job),
        (403, "1010040", .halt), (403, "1012001", .number), (403, "1012005", .job), (403, "1012006", .halt),
        (403, "1012012", .halt),  // not named in docs/result-codes.md: recording not enabled for the app (account)
        (403, "1013001", .quota(.sp)), (403, "1013002", .quota(.app)),
        (403, "1013003", .quota(.displayNumber)), (403, "1013004", .job), (403, "1013010", .number),
        (403, "1013011", .job), (403, "1013100", .job), (403, "1013101", .job), (403, "1013111", .job),
        (403, "1013112", .job), (403, "1013113", .job), (403, "1013115", .job),
        (403, "1013116", .frequency(.displayNumber)), (403, "1013117", .frequency(.callee)),
        (403, "1013118", .frequency(.displayNumber)), (403, "1013119", .halt),
        (403, "1013120", .halt),  // not named in docs/result-codes.md: "IP address is null" (gateway/config)
        (403, "1013121", .timeWindow), (403, "1013122", .halt), (403, "1020165", .ports), (403, "1020166", .halt),
        (403, "1020168", .halt), (403, "1020171", .halt), (403, "1020176", .halt),
        // 500
        (500, "1010001", .transient), (500, "1020001", .job), (500, "1020002", .transient), (500, "1020150", .halt),
        (500, "1020151", .number), (500, "1020154", .ports), (500, "1023001", .transient), (500, "1023002", .transient),
    ]

    @Test(arguments: referenceCodes)
    func everyReferenceCodeHasAnEntryAndItsClass(status: Int, code: String, expected: ResultClass) throws {
        let entry = try #require(ResultCode.table.first { $0.code == code && $0.httpStatus == status })
        #expect(entry.resultClass == expected)
        #expect(!entry.description.isEmpty)
        #expect(ResultCode.lookup(httpStatus: status, resultcode: code) == entry)
        #expect(ResultCode.classify(httpStatus: status, resultcode: code) == expected)
    }

    @Test func theTableHasNoDuplicateOrUnsourcedRows() {
        let referenced = Set(Self.referenceCodes.map { "\($0.0)/\($0.1)" })
        let rows = ResultCode.table.map { "\($0.httpStatus)/\($0.code)" }
        #expect(Set(rows).count == rows.count)
        // Only docs/result-codes.md adds codes the reference tables do not list: 1011006
        // (flow control) and 1013114 (inside its range 1013111–1013115).
        #expect(Set(rows).subtracting(referenced) == ["403/1011006", "403/1013114"])
    }

    @Test func designOnlyCodesHaveTheirDesignClass() {
        #expect(ResultCode.classify(httpStatus: 403, resultcode: "1011006") == .flowControl)
        #expect(ResultCode.classify(httpStatus: 403, resultcode: "1013114") == .job)
    }

    @Test func invalidDigestHaltsButPlatformFlowControlPauses() {
        #expect(ResultCode.classify(httpStatus: 401, resultcode: "1010010") == .halt)
        #expect(ResultCode.classify(httpStatus: 403, resultcode: "1010010") == .flowControl)
        #expect(ResultCode.lookup(httpStatus: 401, resultcode: "1010010")?.description == "Invalid digest.")
        #expect(
            ResultCode.lookup(httpStatus: 403, resultcode: "1010010")?.description
                == "The flow control upper limit is reached on the platform.")
    }

    @Test(arguments: [500, 502, 503, 504, 599, 408, 429])
    func anErrorStatusWithoutACodeIsTransient(status: Int) {
        #expect(ResultCode.classify(httpStatus: status, resultcode: nil) == .transient)
        #expect(ResultCode.classify(httpStatus: status, resultcode: "") == .transient)
        #expect(ResultCode.classify(httpStatus: status, resultcode: "  ") == .transient)
    }

    @Test(arguments: [(200, ResultClass.unknown), (401, .halt), (404, .unknown), (400, .unknown)])
    func otherStatusesWithoutACode(status: Int, expected: ResultClass) {
        #expect(ResultCode.classify(httpStatus: status, resultcode: nil) == expected)
    }

    @Test(arguments: ["9999999", "1013999", "abc", "1"])
    func anUnlistedCodeIsUnknown(code: String) {
        #expect(ResultCode.classify(httpStatus: 403, resultcode: code) == .unknown)
        #expect(ResultCode.lookup(httpStatus: 403, resultcode: code) == nil)
    }

    @Test(arguments: ["1023013", "1023020", "1023032"])
    func unlistedCodesInTheAuthHeaderRangeHalt(code: String) {
        #expect(ResultCode.classify(httpStatus: 400, resultcode: code) == .halt)
    }

    @Test func aCodeUnderAnotherStatusUsesItsOnlyEntry() {
        // 1020154 is listed under 500; a proxy may relay it under another status.
        #expect(ResultCode.classify(httpStatus: 200, resultcode: "1020154") == .ports)
        #expect(ResultCode.lookup(httpStatus: 403, resultcode: "1020154")?.httpStatus == 500)
    }

    @Test func codesAreTrimmed() {
        #expect(ResultCode.classify(httpStatus: 403, resultcode: " 1013117 ") == .frequency(.callee))
    }

    @Test func haltProbeOverrideIs30MinutesFor1020176Only() {
        #expect(ResultCode.haltProbeOverride(resultcode: "1020176") == .seconds(1800))
        #expect(ResultCode.haltProbeOverride(resultcode: "1010010") == nil)
        #expect(ResultCode.haltProbeOverride(resultcode: "1010013") == nil)
    }

    @Test(arguments: [
        (ResultClass.ok, "ok"), (.ports, "ports"), (.flowControl, "flow_control"),
        (.frequency(.displayNumber), "frequency_display_number"), (.frequency(.callee), "frequency_callee"),
        (.timeWindow, "time_window"), (.transient, "transient"), (.halt, "halt"), (.job, "job"),
        (.unknown, "unknown"),
    ])
    func classNamesForLogsAndMetrics(resultClass: ResultClass, name: String) {
        #expect(resultClass.description == name)
    }
}
