#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Unbuffered writes to standard output and standard error, so lines appear at once
/// (`watch`) and nothing is lost when the process exits.
enum Console {
    /// Writes `text` and a newline to standard output.
    static func out(_ text: String) {
        write(text + "\n", to: 1)
    }

    /// Writes `text` as it is to standard output (CSV carries its own line ends).
    static func write(_ text: String) {
        write(text, to: 1)
    }

    /// Writes `text` and a newline to standard error.
    static func err(_ text: String) {
        write(text + "\n", to: 2)
    }

    /// Whether standard input is a terminal.
    static var stdinIsTerminal: Bool { isatty(0) == 1 }

    /// Whether standard error is a terminal.
    static var stderrIsTerminal: Bool { isatty(2) == 1 }

    private static func write(_ text: String, to fd: Int32) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                #if canImport(Glibc)
                    return Glibc.write(fd, base + offset, raw.count - offset)
                #elseif canImport(Musl)
                    return Musl.write(fd, base + offset, raw.count - offset)
                #else
                    return Darwin.write(fd, base + offset, raw.count - offset)
                #endif
            }
            if written > 0 {
                offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}
