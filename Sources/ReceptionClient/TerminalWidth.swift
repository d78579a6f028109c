#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// How many columns human output may use.
///
/// `COLUMNS` when it is a positive number; else the terminal's width (`TIOCGWINSZ`) when
/// standard output is a terminal, 80 if it does not say; else no limit (`nil`): output piped to a
/// file or another program is not cut short, and `COLUMNS` can still ask for a width.
public enum TerminalWidth {
    /// The width for output written to `fd` (standard output by default).
    public static func resolve(environment: [String: String], fd: Int32 = 1) -> Int? {
        if let text = environment["COLUMNS"], let columns = Int(text.trimmingCharacters(in: " ")), columns > 0 {
            return columns
        }
        guard isatty(fd) == 1 else { return nil }
        var size = winsize()
        if ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }
}

extension String {
    /// The string without `character` at either end.
    fileprivate func trimmingCharacters(in character: Character) -> String {
        var text = Substring(self)
        while text.first == character { text.removeFirst() }
        while text.last == character { text.removeLast() }
        return String(text)
    }
}
