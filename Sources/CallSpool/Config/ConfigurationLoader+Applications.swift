import CallSpoolCore
import CallSpoolPostgres
import CallSpoolSQLite
import Foundation
import TOMLKit
import VoiceCallAPI

extension ConfigurationLoader {
    /// `[apps.NAME]` sections: each application's credentials, types,
    /// display numbers and port quota; `base_url`, `auth`, `created_clock`
    /// and `timeout` default to `[platform]`'s.
    func readApplications(
        _ root: TOMLTable, file: String, purpose: Purpose, platform: Configuration.Platform, limits: Configuration.Limits,
        defaults: Configuration.Defaults
    ) throws(ConfigurationError) -> [Configuration.Application] {
        guard let apps = root["apps"]?.table else {
            throw ConfigurationError(file: file, key: "apps", message: "must hold application tables such as [apps.reminders]")
        }
        guard !apps.keys.isEmpty else {
            throw ConfigurationError(file: file, key: "apps", message: "names no application: add an [apps.NAME] section, or remove [apps] and set [platform] app_key")
        }
        var result: [Configuration.Application] = []
        var keys: [String: String] = [:]
        for name in apps.keys.sorted() {
            guard Configuration.Application.isValidName(name) else {
                throw ConfigurationError(file: file, key: "apps.\(name)", message: "an application name must be 1–32 of a-z, 0-9, _ and -")
            }
            guard let table = apps[name]?.table else {
                throw ConfigurationError(file: file, key: "apps.\(name)", message: "must be a table ([apps.\(name)])")
            }
            var section = TOMLSection("apps.\(name)", table: table, file: file)
            let appKey = try section.requiredString("app_key", hint: "the APP_Key of this application on the application management page")
            if let other = keys[appKey] {
                throw section.error("app_key", "is also the app key of [apps.\(other)]: one application, one section")
            }
            keys[appKey] = name
            let secretFile = try section.string("app_secret_file")
            let inlineSecret = try section.string("app_secret")
            var types: Set<JobType> = []
            let typeNames = try section.stringList("types")
            for (index, text) in typeNames.enumerated() {
                guard let type = JobType(rawValue: text) else {
                    throw section.error("types[\(index)]", "must be \"notify\" or \"verify\", got \"\(text)\"")
                }
                types.insert(type)
            }
            if typeNames.isEmpty, section.has("types") {
                throw section.error("types", "must name at least one of \"notify\" and \"verify\"")
            }
            if !section.has("types") { types = Set(JobType.allCases) }
            var numbers = try section.stringList("display_numbers")
            for (index, number) in numbers.enumerated() {
                if let issue = FieldRules.phone(number, field: "display_numbers[\(index)]") { throw section.error(issue.field, issue.rule) }
            }
            if !section.has("display_numbers") { numbers = defaults.displayNumbers }
            let ports = try section.int("max_concurrent_calls", default: limits.maxConcurrentCalls, range: 1...10_000)
            if !limits.verifyReserveAuto, types.count == JobType.allCases.count, limits.verifyReservedPorts >= ports {
                throw section.error("max_concurrent_calls", "must be above limits.verify_reserved_ports (\(limits.verifyReservedPorts)), or its notify jobs could never be sent")
            }
            let baseURL = try section.string("base_url", default: platform.baseURL)
            try Self.checkBaseURL(baseURL, section: section)
            let auth = try Self.auth(&section, default: platform.auth)
            let clock = try Self.createdClock(&section, default: platform.createdClock)
            let timeout = try section.duration("timeout", default: DurationText.format(platform.timeout), min: .milliseconds(100), max: .seconds(120))
            try section.finish()
            var secret: String?
            if purpose == .daemon {
                secret = try loadSecret(file: secretFile, inline: inlineSecret, config: file, app: name)
            }
            result.append(.init(
                name: name, appKey: appKey, appSecret: secret, types: types, displayNumbers: numbers, maxConcurrentCalls: ports,
                baseURL: baseURL, auth: auth, createdClock: clock, timeout: timeout))
        }
        return result
    }
}
