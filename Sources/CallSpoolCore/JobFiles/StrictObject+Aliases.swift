import VoiceCallAPI

extension StrictObject {
    /// The string under `alias.name`, or else under `alias.alias` with a
    /// warning; both at once is an error naming both (nothing is read then,
    /// since which one was meant cannot be told).
    mutating func string(_ alias: FieldAlias, _ expected: String) -> String? {
        guard has(alias.alias) else { return string(alias.name, expected) }
        guard !has(alias.name) else {
            issues.append(alias.conflict)
            return nil
        }
        warnings.append(alias.warning)
        guard let value = fields[alias.alias], let text = value.stringValue else {
            issues.append(.init(field: alias.alias, rule: "must be \(expected)"))
            return nil
        }
        return text
    }

    /// A flag written as a JSON boolean or as the string "true" / "false" (the
    /// platform's own form, which people copy from its examples).
    mutating func flag(_ name: String) -> Bool? {
        guard let value = fields[name], value != .null else { return nil }
        if let flag = value.boolValue { return flag }
        switch value.stringValue {
        case "true": return true
        case "false": return false
        default:
            issues.append(.init(field: name, rule: "must be true or false (a JSON boolean, or the string \"true\" or \"false\")"))
            return nil
        }
    }
}
