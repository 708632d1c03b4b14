import CallSpool
import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Testing

/// A takeover resumes the port limit the previous dispatcher learned, within the configured bounds.
@Suite struct PortLimiterResumeTests {
    @Test(arguments: [(learned: 6, expected: 6), (learned: 0, expected: 1), (learned: 40, expected: 10)])
    func aLearnedLimitIsResumedWithinBounds(learned: Int, expected: Int) {
        var limiter = PortLimiter(configuredMax: 10, verifyReserved: 0)
        limiter.resume(learned: learned)
        #expect(limiter.effectiveLimit == expected)
    }
}
