extension CallNotifyRequest {
    /// Every rule of tables 5-4 and 5-5 this request breaks (empty when valid).
    public func validationIssues() -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let issue = FieldRules.phone(displayNbr, field: "displayNbr") { issues.append(issue) }
        if let issue = FieldRules.phone(calleeNbr, field: "calleeNbr") { issues.append(issue) }
        issues += FieldRules.playInfoList(playInfoList)
        if let url = statusUrl, let issue = FieldRules.length(url, FieldRules.callbackURLLength, field: "statusUrl") { issues.append(issue) }
        if let url = feeUrl, let issue = FieldRules.length(url, FieldRules.callbackURLLength, field: "feeUrl") { issues.append(issue) }
        if let flag = returnIdlePort, let issue = FieldRules.booleanString(flag, field: "returnIdlePort") { issues.append(issue) }
        if let data = userData, let issue = FieldRules.userData(data, maxLength: FieldRules.userDataNotifyLength.upperBound) {
            issues.append(issue)
        }
        return issues
    }

    public func validate() throws(ValidationFailure) {
        let issues = validationIssues()
        if !issues.isEmpty { throw ValidationFailure(issues) }
    }
}
