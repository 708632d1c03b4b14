import CallSpoolCore
import Foundation
import GRDB

extension AppDatabase: CopySource {
    package func readRows(of table: String, batchSize: Int, _ body: ([CopiedRow]) throws -> Void) throws -> Int {
        try reader.read { db in
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM \(table)")
            var batch: [CopiedRow] = []
            var count = 0
            while let row = try cursor.next() {
                batch.append(CopiedRow(columns: Array(row.columnNames), values: row.databaseValues.map(Self.copied)))
                count += 1
                if batch.count == batchSize {
                    try body(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { try body(batch) }
            return count
        }
    }

    private static func copied(_ value: DatabaseValue) -> CopiedValue {
        switch value.storage {
        case .null: .null
        case .int64(let number): .integer(number)
        case .double(let number): .real(number)
        case .string(let text): .text(text)
        case .blob(let data): .text(String(decoding: data, as: UTF8.self))
        }
    }
}
