import Testing

/// The end-to-end tests: the daemon (as `callspool run` builds it, or the
/// built `callspool` executable) against the in-process simulator over
/// loopback HTTP. Every suite is nested here so they run one at a time: each
/// binds ports and some measure latency, which parallel runs on 2 cores would
/// distort.
@Suite(.serialized) enum EndToEnd {}
