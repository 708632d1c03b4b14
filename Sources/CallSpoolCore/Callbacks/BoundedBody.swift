import Hummingbird
import NIOCore

/// Reads a whole request body within a size and a time bound, for the
/// servers that take bodies from anyone who can connect (the callback
/// receiver, the HTTP API): a client cannot make the daemon hold more than
/// `limit` bytes, nor hold a request open by trickling its body.
package enum BoundedBody {
    package enum Failure: Error {
        /// Over the size bound.
        case tooLarge
        /// Not all there within the time bound.
        case timedOut
        case failed(String)
    }

    package static func collect(_ body: RequestBody, limit: Int, timeout: Duration) async -> Result<ByteBuffer, Failure> {
        do {
            return try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
                group.addTask { try await body.collect(upTo: limit) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let buffer = first else { return .failure(.timedOut) }
                return .success(buffer)
            }
        } catch is NIOTooManyBytesError {
            return .failure(.tooLarge)
        } catch {
            return .failure(.failed("\(error)"))
        }
    }
}
