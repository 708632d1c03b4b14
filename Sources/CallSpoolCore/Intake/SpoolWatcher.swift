import Foundation
import Synchronization

/// Watches `incoming/` with inotify and reports names as they arrive.
///
/// A dedicated thread blocks in poll(2) on the inotify descriptor (no busy
/// loop, no latency from polling the directory) and yields into an
/// `AsyncStream`; it also yields a `.tick` every `tickInterval` so the intake
/// can re-check files waiting to settle and run its periodic rescan.
public final class SpoolWatcher: Sendable {
    public enum Event: Sendable, Equatable {
        /// A file was renamed into, or finished being written in, the directory.
        case arrived(String)
        /// A file was created (it may still be being written, or be a link).
        case created(String)
        case tick
    }

    public let events: AsyncStream<Event>
    private let continuation: AsyncStream<Event>.Continuation
    private let descriptor: Int32
    private let stopped = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)
    private let tickMilliseconds: Int32

    public init(directory: String, tickInterval: Duration = .milliseconds(250)) throws {
        let fd = inotify_init1(Int32(IN_CLOEXEC) | Int32(IN_NONBLOCK))
        guard fd >= 0 else { throw SpoolError.cannotWatch(directory, errno) }
        let mask = UInt32(IN_MOVED_TO) | UInt32(IN_CLOSE_WRITE) | UInt32(IN_CREATE)
        guard inotify_add_watch(fd, directory, mask) >= 0 else {
            let code = errno
            close(fd)
            throw SpoolError.cannotWatch(directory, code)
        }
        descriptor = fd
        tickMilliseconds = Int32(max(10, tickInterval.components.seconds * 1000 + tickInterval.components.attoseconds / 1_000_000_000_000_000))
        (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(100_000))
        Thread.detachNewThread { [self] in self.loop() }
    }

    /// Stops the thread; the stream finishes within one tick.
    public func stop() {
        stopped.store(true, ordering: .sequentiallyConsistent)
    }

    deinit {
        stopped.store(true, ordering: .sequentiallyConsistent)
    }

    private func loop() {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while !stopped.load(ordering: .sequentiallyConsistent) {
            var pollDescriptor = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pollDescriptor, 1, tickMilliseconds)
            if ready > 0 {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count > 0 { parse(buffer, count: count) }
            }
            continuation.yield(.tick)
        }
        continuation.finish()
        close(descriptor)
    }

    private func parse(_ buffer: [UInt8], count: Int) {
        var offset = 0
        let headerSize = 16
        while offset + headerSize <= count {
            let mask = buffer.withUnsafeBytes { raw in raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self) }
            let length = buffer.withUnsafeBytes { raw in Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)) }
            let nameStart = offset + headerSize
            let nameEnd = min(count, nameStart + length)
            let nameBytes = buffer[nameStart..<nameEnd].prefix { $0 != 0 }
            if !nameBytes.isEmpty {
                let name = String(decoding: nameBytes, as: UTF8.self)
                continuation.yield(mask & UInt32(IN_CREATE) != 0 ? .created(name) : .arrived(name))
            }
            offset = nameStart + length
        }
    }
}
