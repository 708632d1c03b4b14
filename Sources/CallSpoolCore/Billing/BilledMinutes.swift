import VoiceCallAPI

/// The billing rule for one call: the platform bills an answered call per
/// started minute of talk, and an unanswered call not at all (issue 28; see
/// docs/billing.md for what the platform's reference says and does not say).
///
/// Exists so that the store, the views and the tests share one rule, written
/// once, without I/O. Guarantees:
/// * an unanswered CDR (no `callOutAnswerTime`) bills 0 minutes;
/// * an answered CDR bills ceil((`callEndTime` − `callOutAnswerTime`) / 60 s),
///   at least 1: the times have a resolution of one second, so an answer and
///   an end in the same second ("0 s") still started a minute;
/// * an answered CDR whose duration cannot be read (end time missing or not
///   `yyyy-MM-dd HH:mm:ss`, or before the answer) bills 1 minute, the lower
///   bound: the call was answered, so at least one minute started.
///
/// The CDR has no duration field (`ttsTransDuration` is the TTS engine's
/// conversion time, not the call's), so the duration comes from the two
/// times, both UTC in the same format; their clock cancels out.
public enum BilledMinutes {
    /// What one CDR says about the bill.
    public enum Reading: Sendable, Hashable {
        /// Not answered: nothing billed.
        case unanswered
        /// Answered, talked for `seconds` (from the CDR's times).
        case answered(seconds: Int64)
        /// Answered, but the CDR's times do not give a duration.
        case answeredWithoutDuration

        /// The minutes billed for this reading.
        public var minutes: Int {
            switch self {
            case .unanswered: 0
            case .answered(let seconds): BilledMinutes.minutes(answeredSeconds: seconds)
            case .answeredWithoutDuration: 1
            }
        }
    }

    /// Reads the CDR's answer and end times.
    public static func reading(of record: FeeRecord) -> Reading {
        guard record.wasAnswered, let answer = record.callOutAnswerTime.flatMap(time) else {
            return record.wasAnswered ? .answeredWithoutDuration : .unanswered
        }
        guard let end = record.callEndTime.flatMap(time), end >= answer else { return .answeredWithoutDuration }
        return .answered(seconds: end - answer)
    }

    /// The minutes one CDR bills.
    public static func minutes(of record: FeeRecord) -> Int { reading(of: record).minutes }

    /// Started minutes of an answered call that lasted `seconds`: 0 s → 1,
    /// 60 s → 1, 61 s → 2.
    public static func minutes(answeredSeconds seconds: Int64) -> Int {
        guard seconds > 0 else { return 1 }
        return Int((seconds + 59) / 60)
    }

    private static func time(_ text: String) -> Int64? {
        CivilTime.parse(text.trimmingCharacters(in: .whitespaces))
    }
}

import Foundation
