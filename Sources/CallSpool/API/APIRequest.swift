import CallSpoolCore
import NIOCore

/// What the gate (``APIGate``) established for the request being handled:
/// the authenticated client and the body it read within bounds. Task-local,
/// because the generated handlers (``APIOperations``) see only the decoded
/// request, not Hummingbird's context.
enum APIRequest {
    @TaskLocal static var client: APIClient?
    /// The whole body, exactly as received (the job-file reader wants bytes).
    @TaskLocal static var body: ByteBuffer?
}
