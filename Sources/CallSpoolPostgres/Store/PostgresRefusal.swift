import CallSpoolCore
/// The SQLSTATEs with which PostgreSQL refuses data for good (see
/// ``StoreRefusal``): class 22 (data exception: NUL, an invalid byte
/// sequence, a value too long), class 23 (integrity constraint violation)
/// and class 54 (program limit exceeded: an index row too large).
enum PostgresRefusal {
    static func reason(for error: any Error) -> String? {
        guard let statement = error as? PostgresStatementError else { return nil }
        let condition: String
        switch statement.sqlState.prefix(2) {
        case "22": condition = "a value PostgreSQL does not take (data exception)"
        case "23": condition = "a value that breaks a constraint of the schema"
        case "54": condition = "a value too large for PostgreSQL (an index row or a column limit)"
        default: return nil
        }
        return "the store refused it: \(condition), SQLSTATE \(statement.sqlState)"
    }
}

extension PostgresStoreError: StoreErrorExplaining {
    public var storageFailureReason: String? { PostgresOutage.reason(for: self) }
    public var permanentRefusalReason: String? { nil }
    public var isDispatcherLeaseRefusal: Bool {
        if case .notLeader = self { return true }
        return false
    }
}

extension PostgresStatementError: StoreErrorExplaining {
    public var storageFailureReason: String? { PostgresOutage.reason(for: self) }
    public var permanentRefusalReason: String? { PostgresRefusal.reason(for: self) }
}
