import CallSpool

/// The daemon configuration the loopback benchmarks share: no rate, port or
/// window limit of callspool's own gets in the way of what is measured.
func benchConfiguration(platformPort: Int, callbackPort: Int, appKey: String, appSecret: String, dir: String) throws -> Configuration {
    try ConfigurationLoader(environment: [:]).parse("""
        [platform]
        base_url = "http://127.0.0.1:\(platformPort)"
        app_key = "\(appKey)"
        app_secret = "\(appSecret)"
        [spool]
        dir = "\(dir)/spool"
        [store]
        path = "\(dir)/store.sqlite"
        [callbacks]
        listen = "127.0.0.1:\(callbackPort)"
        status_url = "http://127.0.0.1:\(callbackPort)/cb/status"
        fee_url = "http://127.0.0.1:\(callbackPort)/cb/fee"
        [limits]
        max_concurrent_calls = 10000
        requests_per_second = 100000
        per_display_number_per_minute = 100000
        verify_reserved_ports = 0
        [defaults]
        display_numbers = ["+8675528000088"]
        window = { start = "00:00", end = "24:00", tz = "Asia/Shanghai" }
        [metrics]
        listen = "127.0.0.1:0"
        """, file: "bench.toml", purpose: .daemon)
}
