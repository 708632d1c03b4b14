#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's open-file limit (`getrlimit(RLIMIT_NOFILE)`).
///
/// Exists so start-up can say how many descriptors the daemon may use: every
/// callback connection, platform request, store connection and spool file
/// costs one, and running out turns into `socket(): Too many open files` in
/// unrelated places. The unit file raises it (`LimitNOFILE=`).
package struct DescriptorLimit: Sendable, Equatable, CustomStringConvertible {
    /// The limit that applies (soft).
    package var soft: UInt64
    /// The most the process could raise it to (hard).
    var hard: UInt64

    /// The current limits, or nil when they cannot be read.
    package static func current() -> DescriptorLimit? {
        var limit = rlimit()
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        guard getrlimit(resource, &limit) == 0 else { return nil }
        return DescriptorLimit(soft: UInt64(limit.rlim_cur), hard: UInt64(limit.rlim_max))
    }

    /// Descriptors the daemon needs besides callback connections: the store,
    /// the platform connections, spool files, the metrics server, logs.
    package static let reserve: UInt64 = 256

    /// Whether `maxConnections` callback connections fit under the soft limit
    /// with ``reserve`` left for everything else.
    package func fits(maxConnections: Int) -> Bool {
        UInt64(max(0, maxConnections)) + Self.reserve <= soft
    }

    package var description: String {
        func text(_ value: UInt64) -> String { value == .max ? "unlimited" : String(value) }
        return "soft \(text(soft)), hard \(text(hard))"
    }
}
