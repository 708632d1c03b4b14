import Testing
@testable import VoiceCallAPI

/// Expected epochs come from python3: `calendar.timegm((y, mo, d, h, mi, s))`.
@Suite struct CivilTimeTests {
    static let vectors: [(epoch: Int64, created: String, event: String)] = [
        (0, "1970-01-01T00:00:00Z", "1970-01-01 00:00:00"),
        (-1, "1969-12-31T23:59:59Z", "1969-12-31 23:59:59"),
        (1_518_449_420, "2018-02-12T15:30:20Z", "2018-02-12 15:30:20"),
        (1_548_298_163, "2019-01-24T02:49:23Z", "2019-01-24 02:49:23"),
        (951_868_799, "2000-02-29T23:59:59Z", "2000-02-29 23:59:59"),
        (1_709_208_000, "2024-02-29T12:00:00Z", "2024-02-29 12:00:00"),
        (4_107_542_400, "2100-03-01T00:00:00Z", "2100-03-01 00:00:00"),
        (-2_208_988_800, "1900-01-01T00:00:00Z", "1900-01-01 00:00:00"),
    ]

    @Test(arguments: vectors)
    func formatsAndParsesBothShapes(vector: (epoch: Int64, created: String, event: String)) {
        #expect(CivilTime.formatCreated(epochSeconds: vector.epoch) == vector.created)
        #expect(CivilTime.formatEventTime(epochSeconds: vector.epoch) == vector.event)
        #expect(CivilTime.parse(vector.created) == vector.epoch)
        #expect(CivilTime.parse(vector.event) == vector.epoch)
        #expect(CivilTime.parse(vector.event.replacingOccurrences(of: " ", with: "T")) == vector.epoch)
    }

    @Test(arguments: [
        "", "2018-02-12", "2018-02-12T15:30:20+08:00", "2018-02-12T15:30:20.123Z",
        "2018/02/12 15:30:20", "2018-02-12X15:30:20", "2018-13-01 00:00:00", "2018-00-01 00:00:00",
        "2018-01-00 00:00:00", "2018-01-32 00:00:00", "2018-01-01 24:00:00", "2018-01-01 00:60:00",
        "2018-01-01 00:00:61", "20a8-01-01 00:00:00", "2018-01-01 00:00:0Z", "2018-02-12 15:30:20Q",
    ])
    func refusesMalformedTimes(text: String) {
        #expect(CivilTime.parse(text) == nil, "\(text)")
    }

    @Test func roundTripsEveryDayAcrossLeapYears() {
        var epoch: Int64 = CivilTime.parse("1999-12-25 13:14:15")!
        for _ in 0..<(366 * 6) {
            let text = CivilTime.formatEventTime(epochSeconds: epoch)
            #expect(CivilTime.parse(text) == epoch)
            epoch += 86_400
        }
    }
}

@Suite struct PhoneMaskTests {
    @Test(arguments: [
        ("+8613800000021", "+86138****0021"),  // the docs/operations.md example
        ("+8675528000088", "+86755****0088"),
        ("+861380000002", "+86138****0002"),  // 13 characters
        ("+86138000000", "+86138****0000"),  // 12 characters
        ("+1555123456", "+155****3456"),  // 11 characters: shorter head
        ("+12345678", "+123****5678"),  // 9 characters
        ("+1234567", "+******7"),  // 8 characters: only the ends
        ("+861", "+**1"),
        ("12", "**"),
        ("", ""),
    ])
    func masks(number: String, masked: String) {
        #expect(PhoneMask.mask(number) == masked)
    }

    @Test func neverShowsTheMiddleDigits() {
        let number = "+8613912345678"
        let masked = PhoneMask.mask(number)
        #expect(!masked.contains("912345"))
        #expect(masked.count == number.count)
    }

    @Test func verifyRequestDescriptionHidesCodeAndNumbers() {
        let request = CallVerifyRequest(
            displayNbr: "+8675528000088", calleeNbr: "+8613800000021", preTone: "otp_pre.wav", verifyCode: "482913")
        #expect(!request.description.contains("482913"))
        #expect(!request.description.contains("+8613800000021"))
        #expect(request.description.contains("+86138****0021"))
    }
}
