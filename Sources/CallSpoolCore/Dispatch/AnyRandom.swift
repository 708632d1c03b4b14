/// A random source the scheduler can own and inject (seeded in tests).
public struct AnyRandom: RandomNumberGenerator, Sendable {
    private var base: any RandomNumberGenerator & Sendable

    public init(_ base: any RandomNumberGenerator & Sendable) { self.base = base }

    public static var system: AnyRandom { AnyRandom(SystemRandomNumberGenerator()) }

    public mutating func next() -> UInt64 { base.next() }
}
