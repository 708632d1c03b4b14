extension CallVerifyRequest {
    /// Every rule of table 6-3 this request breaks (empty when valid).
    public func validationIssues() -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let issue = FieldRules.phone(displayNbr, field: "displayNbr") { issues.append(issue) }
        if let issue = FieldRules.phone(calleeNbr, field: "calleeNbr") { issues.append(issue) }
        if !FieldRules.languageTypes.contains(languageType) {
            issues.append(.init(field: "languageType", rule: "must be 2 (Chinese), the only value the platform documents; got \(languageType)"))
        }
        if let issue = FieldRules.length(preTone, FieldRules.promptFileLength, field: "preTone") { issues.append(issue) }
        if let issue = FieldRules.verifyCode(verifyCode) { issues.append(issue) }
        if let post = posTone, let issue = FieldRules.length(post, FieldRules.promptFileLength, field: "posTone") { issues.append(issue) }
        if let times, let issue = FieldRules.inRange(times, FieldRules.timesRange, field: "times") { issues.append(issue) }
        if let url = statusUrl, let issue = FieldRules.length(url, FieldRules.callbackURLLength, field: "statusUrl") { issues.append(issue) }
        if let url = feeUrl, let issue = FieldRules.length(url, FieldRules.callbackURLLength, field: "feeUrl") { issues.append(issue) }
        if let flag = returnIdlePort, let issue = FieldRules.booleanString(flag, field: "returnIdlePort") { issues.append(issue) }
        if let data = userData, let issue = FieldRules.userData(data, maxLength: FieldRules.userDataVerifyLength.upperBound) {
            issues.append(issue)
        }
        return issues
    }

    public func validate() throws(ValidationFailure) {
        let issues = validationIssues()
        if !issues.isEmpty { throw ValidationFailure(issues) }
    }
}
