@testable import CallSpool
@testable import CallSpoolCLI
@testable import CallSpoolCore
import Foundation
import Testing
import VoiceCallAPI

/// The guard's plain rules, without I/O: numbers, prefixes, limits, scopes, days.
@Suite struct CallGuardRulesTests {
    @Test(arguments: [
        ("+8613800138000", nil),
        ("0086 138-0013-8000", "+8613800138000"),
        ("008613800138000", "+8613800138000"),
        ("8613800138000", "+8613800138000"),
        ("+86 (138) 0013.8000", "+8613800138000"),
        ("+1 415 555 0100", "+14155550100"),
    ] as [(String, String?)])
    func commonSpellingsBecomeE164(_ written: String, _ expected: String?) throws {
        let rewrite = try #require(CalleeNumber.normalise(written))
        switch (rewrite, expected) {
        case (.unchanged, nil): break
        case (.rewritten(let number, let how), let expected?):
            #expect(number == expected)
            #expect(!how.contains(number) && !how.contains("138"), "the note never repeats the number: \(how)")
        default: Issue.record("\(written): \(rewrite)")
        }
    }

    @Test(arguments: ["13800138000", "+86-abc", "", "++8613800138000", "86 138", "0086", "+86138001380001234567890123456789"])
    func whatIsNotANumberStaysRefused(_ written: String) {
        #expect(CalleeNumber.normalise(written) == nil, "\(written)")
    }

    @Test func prefixesTakeTheCountryCodeThenTheConfiguredDigits() {
        #expect(CalleeNumber.countryCode(of: "+8613800138000") == "86")
        #expect(CalleeNumber.countryCode(of: "+14155550100") == "1")
        #expect(CalleeNumber.countryCode(of: "+79161234567") == "7")
        #expect(CalleeNumber.countryCode(of: "+85291234567") == "852", "Hong Kong: three digits")
        #expect(CalleeNumber.prefix(of: "+8613800138000", length: 7) == "+861380013")
        #expect(CalleeNumber.prefix(of: "+8613800138000", length: 3) == "+86138")
        #expect(CalleeNumber.prefix(of: "+14155550100", length: 7) == "+14155550")
    }

    @Test func rateLimitsReadCountSlashWindowOrOff() throws {
        #expect(try RateLimit.parse("5/1h") == RateLimit(count: 5, window: .seconds(3600)))
        #expect(try RateLimit.parse("30/1m")?.description == "30/1m")
        #expect(try RateLimit.parse("off") == nil)
        for bad in ["5", "0/1h", "five/1h", "5/0s", "5/forever", "5/1h/2", "-1/1m", "5/31d"] {
            #expect(throws: RateLimitSyntaxError.self, "\(bad)") { _ = try RateLimit.parse(bad) }
        }
    }

    @Test func scopesCoverEveryCampaignOneOrAPrefix() {
        #expect(SuppressionRecord.scope("", covers: nil))
        #expect(SuppressionRecord.scope("", covers: "flu"))
        #expect(SuppressionRecord.scope("flu", covers: "flu"))
        #expect(!SuppressionRecord.scope("flu", covers: "flu-2026"))
        #expect(SuppressionRecord.scope("flu-*", covers: "flu-2026"))
        #expect(!SuppressionRecord.scope("flu-*", covers: "dental"))
        #expect(!SuppressionRecord.scope("flu", covers: nil), "a single job is covered by global entries only")
    }

    @Test func calleePrefixesAllowListedNumbersOnly() {
        var rules = Configuration.Guard()
        #expect(rules.prefixRefusal("+8613800138000") == nil)
        #expect(rules.prefixRefusal("+14155550100")?.contains("callee_prefixes") == true)
        rules.calleePrefixes = []
        #expect(rules.prefixRefusal("+14155550100") == nil, "[] = any number")
    }

    @Test func theCallingDayFollowsItsTimeZone() throws {
        let shanghai = try #require(TimeZone(identifier: "Asia/Shanghai"))
        // 2027-01-15 17:30 UTC is 01:30 on the 16th in Shanghai.
        let instant = try #require(Timestamp.parse("2027-01-15T17:30:00Z"))
        let day = CallingDay(containing: instant, timeZone: shanghai)
        #expect(Timestamp.format(day.start) == "2027-01-15T16:00:00Z")
        #expect(Timestamp.format(day.end) == "2027-01-16T16:00:00Z")
    }

    @Test func theGuardSectionIsReadAndAMistakeNamesTheKey() throws {
        func parse(_ section: String) throws(ConfigurationError) -> Configuration {
            try ConfigurationLoader(environment: [:]).parse(ConfigurationTests.minimal + "\n[guard]\n" + section, file: "g.toml", purpose: .daemon)
        }
        let defaults = try parse("")
        #expect(defaults.callGuard == Configuration.Guard())
        #expect(defaults.callGuard.calleePrefixes == ["+86"] && defaults.callGuard.verifyPerCallee?.description == "5/1h")
        let set = try parse("""
            callee_prefixes = ["+86", "+852"]
            verify_per_callee = "3/10m"
            verify_per_prefix = "off"
            prefix_length = 5
            max_calls_per_day = 10000
            suppress_verify = true
            opt_out_scope = "campaign"
            """)
        #expect(set.callGuard.calleePrefixes == ["+86", "+852"])
        #expect(set.callGuard.verifyPerCallee == RateLimit(count: 3, window: .seconds(600)))
        #expect(set.callGuard.verifyPerPrefix == nil)
        #expect(set.callGuard.prefixLength == 5 && set.callGuard.maxCallsPerDay == 10_000)
        #expect(set.callGuard.suppressVerify && set.callGuard.optOutScope == .campaign)
        for (text, key) in [
            ("callee_prefixes = [\"86\"]", "callee_prefixes[0]"), ("verify_per_callee = \"5\"", "verify_per_callee"),
            ("prefix_length = 0", "prefix_length"), ("opt_out_scope = \"all\"", "opt_out_scope"), ("verify_per_calee = \"1/1m\"", "verify_per_calee"),
        ] {
            let error = #expect(throws: ConfigurationError.self) { _ = try parse(text) }
            #expect(error?.description.contains(key) == true, "\(text): \(error?.description ?? "")")
        }
    }

    @Test func aGuardChangeNeedsARestart() throws {
        let loader = ConfigurationLoader(environment: [:])
        let old = try loader.parse(ConfigurationTests.minimal, file: "a.toml", purpose: .daemon)
        let new = try loader.parse(ConfigurationTests.minimal + "\n[guard]\nmax_calls_per_day = 5\n", file: "a.toml", purpose: .daemon)
        #expect(ConfigurationChanges(from: old, to: new).refused == ["guard"])
    }
}

/// `callspool suppress import` reads lists as they come.
@Suite struct SuppressionFileTests {
    func read(_ text: String) throws -> (entries: [SuppressionFile.Entry], problems: [SuppressionFile.Problem]) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dnc-\(UUID().uuidString).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var file = try SuppressionFile(path: path)
        defer { file.close() }
        var entries: [SuppressionFile.Entry] = []
        var problems: [SuppressionFile.Problem] = []
        while let result = try file.next() {
            switch result {
            case .success(let entry): entries.append(entry)
            case .failure(let problem): problems.append(problem)
            }
        }
        return (entries, problems)
    }

    @Test func aListOfNumbersCSVOrExportIsRead() throws {
        let (entries, problems) = try read(
            "number,reason,scope,source\r\n'+8613800000001,\"asked, twice\",,operator\r\n# a comment\n\n0086 138 0000 0002\n+8613800000003,moved,flu-*\nnot a number\n+8613800000004")
        #expect(entries.map(\.number) == ["+8613800000001", "+8613800000002", "+8613800000003", "+8613800000004"])
        #expect(entries[0].reason == "asked, twice" && entries[0].scope == "")
        #expect(entries[1].reason == nil && entries[1].scope == nil)
        #expect(entries[2].scope == "flu-*")
        #expect(problems.map(\.line) == [7], "the bad line, by its number; the rest is read")
    }

    @Test func aLineLongerThanTheBoundIsReportedNotHeld() throws {
        let long = String(repeating: "9", count: SuppressionFile.maxLineBytes * 3)
        let (entries, problems) = try read("+8613800000001\n\(long)\n+8613800000002\n")
        #expect(entries.count == 2)
        #expect(problems.first?.message.contains("longer than") == true)
    }
}
