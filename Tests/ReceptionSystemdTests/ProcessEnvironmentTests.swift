import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Every test that reads or writes the process environment lives in a suite nested in this one, so they run one
/// at a time (the environment is shared by the whole test process).
@Suite(.serialized) struct ProcessEnvironmentTests {}

/// Runs `body` with environment variable `name` set to `value` (or unset for `nil`), restoring it afterwards.
func withEnvironment<T>(_ name: String, _ value: String?, _ body: () throws -> T) rethrows -> T {
    let saved = getenv(name).map { String(cString: $0) }
    if let value { setenv(name, value, 1) } else { unsetenv(name) }
    defer {
        if let saved { setenv(name, saved, 1) } else { unsetenv(name) }
    }
    return try body()
}
