import Foundation

extension CallingWindow {
    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .current
        return calendar
    }

    private func minuteOfDay(_ date: Date) -> Int {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
    }

    /// Whether calls may be placed at `date` (start inclusive, end exclusive).
    public func contains(_ date: Date) -> Bool {
        let minute = minuteOfDay(date)
        if startMinute < endMinute { return minute >= startMinute && minute < endMinute }
        return minute >= startMinute || minute < endMinute  // spans midnight
    }

    /// The next time at or after `date` that the window is open.
    public func nextOpening(after date: Date) -> Date {
        if contains(date) { return date }
        let calendar = calendar
        let startOfDay = calendar.startOfDay(for: date)
        for dayOffset in 0...2 {
            guard let day = calendar.date(byAdding: .day, value: dayOffset, to: startOfDay),
                let opening = calendar.date(bySettingHour: startMinute / 60, minute: startMinute % 60, second: 0, of: day)
            else { continue }
            if opening > date { return opening }
        }
        return date.addingTimeInterval(86_400)
    }
}
