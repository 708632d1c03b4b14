@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing
import VoiceCallAPI

/// Several VoiceCall applications: configuration, the choice of a job's
/// application, and schedulers that keep their halts and pauses apart.
@Suite struct ApplicationTests {
    static let twoApps = """
    [platform]
    base_url = "https://rtccall.cn-north-1.myhuaweicloud.cn:443"
    [apps.reminders]
    app_key = "NotifyKey0001"
    app_secret = "n-secret"
    types = ["notify"]
    display_numbers = ["+8675528000001"]
    max_concurrent_calls = 6
    [apps.otp]
    app_key = "VerifyKey0002"
    types = ["verify"]
    display_numbers = ["+8675528000002"]
    max_concurrent_calls = 2
    created_clock = "utc"
    [callbacks]
    status_url = "https://voice-cb.example.com/callspool/status"
    fee_url = "https://voice-cb.example.com/callspool/fee"
    """

    func load(_ text: String, environment: [String: String] = ["CALLSPOOL_APP_SECRET_OTP": "o-secret"]) throws(ConfigurationError) -> Configuration {
        try ConfigurationLoader(environment: environment).parse(text, file: "test.toml", purpose: .daemon)
    }

    @Test func twoApplicationsLoadWithTheirOwnCredentialsNumbersQuotasAndOverrides() throws {
        let config = try load(Self.twoApps)
        #expect(config.applications.map(\.name) == ["otp", "reminders"])
        let otp = try #require(config.application(named: "otp"))
        let reminders = try #require(config.application(named: "reminders"))
        #expect(otp.appSecret == "o-secret" && reminders.appSecret == "n-secret")
        #expect(otp.types == [.verify] && reminders.types == [.notify])
        #expect(otp.maxConcurrentCalls == 2 && reminders.maxConcurrentCalls == 6)
        #expect(otp.displayNumbers == ["+8675528000002"])
        #expect(otp.createdClock == .utc && reminders.createdClock == .auto)
        #expect(otp.baseURL == config.platform.baseURL)
        #expect(!otp.servesBoth)
        #expect(otp.maskedAppKey == "Veri…0002")
    }

    @Test func theSingleAppKeyOfPlatformIsOneDefaultApplicationServingBoth() throws {
        let config = try load(ConfigurationTests.minimal)
        #expect(config.applications.map(\.name) == ["default"])
        #expect(config.applications[0].servesBoth)
        #expect(config.applications[0].appKey == "key")
        #expect(config.applications[0].maxConcurrentCalls == config.limits.maxConcurrentCalls)
    }

    @Test(arguments: [
        ("[apps.otp]\napp_key = \"A\"\napp_secret = \"s\"\ntypes = [\"sms\"]", "apps.otp.types[0]"),
        ("[apps.otp]\napp_key = \"A\"\napp_secret = \"s\"\ntypes = []", "apps.otp.types"),
        ("[apps.otp]\napp_key = \"A\"\napp_secret = \"s\"\nport = 3", "apps.otp.port"),
        ("[apps.OTP]\napp_key = \"A\"\napp_secret = \"s\"", "apps.OTP"),
        ("[apps.a]\napp_key = \"A\"\napp_secret = \"s\"\n[apps.b]\napp_key = \"A\"\napp_secret = \"t\"", "apps.b.app_key"),
        ("[apps.otp]\napp_secret = \"s\"", "apps.otp.app_key"),
        ("[apps.otp]\napp_key = \"A\"", "apps.otp.app_secret_file"),
    ])
    func applicationMistakesStopStartUpNamingTheKey(section: String, key: String) throws {
        let text = """
        [platform]
        base_url = "https://rtccall.cn-north-1.myhuaweicloud.cn:443"
        \(section)
        [callbacks]
        status_url = "https://voice-cb.example.com/callspool/status"
        fee_url = "https://voice-cb.example.com/callspool/fee"
        """
        let error = try #require(throws: ConfigurationError.self) { try load(text, environment: [:]) }
        #expect(error.key == key, "\(error)")
    }

    @Test func platformCredentialsBesideAppsAreRefused() throws {
        let text = Self.twoApps.replacingOccurrences(of: "[apps.reminders]", with: "app_key = \"old\"\n[apps.reminders]")
        let error = try #require(throws: ConfigurationError.self) { try load(text) }
        #expect(error.key == "platform.app_key")
        #expect(error.message.contains("[apps.NAME]"))
    }

    @Test func eachApplicationFindsItsSecretInItsOwnCredentialFileOrVariable() throws {
        let directory = try TemporaryDirectory()
        _ = try directory.write("app_secret_otp", "from-systemd\n")
        let config = try load(Self.twoApps, environment: ["CREDENTIALS_DIRECTORY": directory.path])
        #expect(config.application(named: "otp")?.appSecret == "from-systemd")
        #expect(config.application(named: "reminders")?.appSecret == "n-secret")
    }

    @Test(arguments: [
        (nil as String?, JobType.notify, "reminders" as String?, nil as String?),
        (nil, .verify, "otp", nil),
        ("otp", .verify, "otp", nil),
        ("otp", .notify, nil, "application \"otp\" does not serve notify jobs"),
        ("marketing", .notify, nil, "no application named \"marketing\""),
    ])
    func aJobGoesToTheApplicationItNamesOrTheOnlyOneServingItsType(named: String?, type: JobType, chosen: String?, error: String?) throws {
        let routes = try load(Self.twoApps).routes
        switch ApplicationRoute.choose(named: named, for: type, among: routes) {
        case .success(let name): #expect(name == chosen)
        case .failure(let failure):
            #expect(chosen == nil)
            #expect(failure.description.contains(error ?? "-"), "\(failure)")
        }
    }

    @Test func twoApplicationsServingATypeMakeAJobWithoutAppAmbiguous() {
        let routes = [ApplicationRoute(name: "a", types: [.notify]), ApplicationRoute(name: "b", types: [.notify, .verify])]
        guard case .failure(let error) = ApplicationRoute.choose(named: nil, for: .notify, among: routes) else {
            Issue.record("an ambiguous choice must fail")
            return
        }
        #expect(error == .ambiguous(type: .notify, candidates: ["a", "b"]))
        #expect(ApplicationRoute.soleServers(among: routes) == [.verify: "b"])
    }

    @Test func intakeRejectsAJobNoApplicationCanSendAndQueuesTheRest() throws {
        var fixture = try SpoolFixture()
        fixture.intake.policy = IntakePolicy(applications: [ApplicationRoute(name: "reminders", types: [.notify])])
        let intake = fixture.intake
        let lines = [
            #"{"type":"notify","id":"n1","calleeNbr":"+8613800000001","playInfoList":[{"notifyVoice":"a.wav"}]}"#,
            #"{"type":"verify","id":"v1","calleeNbr":"+8613800000002","verifyCode":"1234","preTone":"p.wav"}"#,
            #"{"type":"notify","id":"n2","app":"marketing","calleeNbr":"+8613800000003","playInfoList":[{"notifyVoice":"a.wav"}]}"#,
        ]
        try fixture.drop("mixed.jsonl", lines.joined(separator: "\n"))
        guard case .processed(let report) = try intake.process(name: "mixed.jsonl", settled: true) else {
            Issue.record("the file must be processed")
            return
        }
        #expect(report.accepted == 1)
        #expect(report.rejected.map(\.id) == ["v1", "n2"])
        #expect(report.rejected.allSatisfy { $0.error.hasPrefix("app: ") }, "\(report.rejected)")
        #expect(try fixture.database.jobDetail(id: "n1")?.job.app == "reminders")
    }

    @Test(arguments: [PauseScope.of(.ports, app: "otp"), .of(.flow, app: "otp"), .of(.transport, app: "a-b_c"), .of(.ports, app: "default"), .displayNumber("+8613800000001")])
    func pauseScopesOfAnApplicationRoundTripThroughTheirText(scope: PauseScope) {
        #expect(PauseScope(scope.description) == scope)
    }

    @Test func applicationPausesAreNamedAfterTheApplicationExceptTheDefaultOnes() {
        #expect(PauseScope.of(.ports, app: "otp").description == "ports:otp")
        #expect(PauseScope.of(.ports, app: "default") == .ports)
        #expect(PauseScope.of(.flow, app: "otp").application == "otp")
    }

    /// A halt (1010040: no permission for the API) and a ports pause of one
    /// application stop its jobs only: the other application's scheduler
    /// still sends.
    @Test func oneApplicationsHaltAndPausesStopOnlyItsOwnJobs() async throws {
        let database = try AppDatabase.inMemory()
        let clock = ManualClock()
        let config = try load(Self.twoApps)
        let policy = IntakePolicy(applications: config.routes)
        _ = try database.insertJobs(
            [StoreFixtures.spec(id: "n1", callee: "+8613800000001"), StoreFixtures.spec(id: "n2", callee: "+8613800000003"),
             StoreFixtures.spec(id: "v1", verifyCode: "4829", callee: "+8613900000001"),
             StoreFixtures.spec(id: "v2", verifyCode: "4829", callee: "+8613900000002")],
            intakeKey: "k", sourceFile: "t.jsonl", policy: policy, now: clock.now)
        var schedulers: [String: Scheduler] = [:]
        for (index, app) in config.applications.enumerated() {
            var settings = SchedulerSettings(config, application: app, housekeeping: index == 0)
            settings.slowStart = false
            let scheduler = Scheduler(database: database, settings: settings, clock: clock, random: AnyRandom(SeededRandom(state: 7)))
            try await scheduler.start()
            schedulers[app.name] = scheduler
        }
        let otp = try #require(schedulers["otp"])
        let reminders = try #require(schedulers["reminders"])

        let first = try await otp.tick()
        #expect(first.tickets.map(\.jobId) == ["v1", "v2"])
        #expect(first.tickets.allSatisfy { $0.displayNbr == "+8675528000002" })
        try await otp.complete([
            (first.tickets[0], SchedulerTests.rejected(403, "1010040")),
            (first.tickets[1], SchedulerTests.rejected(403, "1020165")),
        ])
        #expect(try database.halt(app: "otp")?.code == "1010040")
        #expect(try database.halt(app: "reminders") == nil)
        #expect(try database.activePauses(now: clock.now)[.of(.ports, app: "otp")] != nil)
        #expect(try await otp.tick().tickets.isEmpty, "a halted application sends nothing before its probe")

        let campaign = try await reminders.tick()
        #expect(campaign.tickets.map(\.jobId).sorted() == ["n1", "n2"])
        #expect(campaign.tickets.allSatisfy { $0.displayNbr == "+8675528000001" })
        #expect(await reminders.reserveFigure.ports == 0, "an application serving one type keeps no verify reserve")
    }
}
