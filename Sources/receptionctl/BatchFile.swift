import Foundation
import ReceptionClient
import ReceptionProtocol

/// `--file items.csv` (or `--file -`, or rows piped to stdin) for a batch task such as
/// `parcels receive-batch`: the rows fill the task's list param, one element per row.
struct BatchFile {
    /// The options without `--file` and its value.
    var options: [String]
    /// The list param's value, when rows were read.
    var given: [String: JSONValue] = [:]
    /// Which line each element came from, so the daemon's errors name lines.
    var rows: OptionWording.FileRows?

    /// The longest CSV line read, in bytes.
    static let maxLineBytes = 4096

    /// Takes `--file` out of `options` and reads the rows, when `method` has one list of records
    /// and takes no `file` param of its own; else `options` unchanged.
    ///
    /// - Throws: ``UsageError`` for an unreadable file or a bad row (naming its line and column),
    ///   or `--file` together with the list's own option.
    static func take(
        from options: [String], for method: MethodInfo, currency: Currency, dates: DateInput
    ) throws(UsageError) -> BatchFile {
        guard let list = CSVItems.listParam(of: method), method.param(named: "file") == nil else {
            return BatchFile(options: options)
        }
        var remaining: [String] = []
        var path: String?
        var index = 0
        while index < options.count {
            let token = options[index]
            index += 1
            if token == "--" {
                remaining += options[(index - 1)...]
                break
            }
            if token == "--file" || token.hasPrefix("--file=") {
                guard path == nil else { throw UsageError("--file was given more than once", option: "--file") }
                if token == "--file" {
                    guard index < options.count else {
                        throw UsageError("--file needs a CSV file's path, or - for stdin", option: "--file")
                    }
                    path = options[index]
                    index += 1
                } else {
                    path = String(token.dropFirst("--file=".count))
                }
                continue
            }
            remaining.append(token)
        }
        let listOptions = Set([list.optionName, "--" + list.name] + list.aliases.map { "--" + $0 })
        let givesList = remaining.contains { token in
            listOptions.contains(token) || listOptions.contains(where: { token.hasPrefix($0 + "=") })
        }
        if path == nil, !givesList, Self.stdinIsPiped { path = "-" }
        guard let path else { return BatchFile(options: remaining) }
        if givesList {
            throw UsageError(
                "--file and \(list.optionName) cannot be combined: give the rows one way", option: "--file")
        }
        let source = path == "-" ? "stdin" : path
        let bytes: [UInt8]
        if path == "-" {
            bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
        } else {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw UsageError("--file: cannot read \(path) (no such file, or no permission)", option: "--file")
            }
            bytes = Array(data)
        }
        let read = try CSVItems(list: list, source: source).items(
            from: bytes, currency: currency, dates: dates, maxLineBytes: maxLineBytes)
        return BatchFile(
            options: remaining, given: [list.name: read.items],
            rows: OptionWording.FileRows(param: list.name, source: source, lines: read.lines))
    }

    /// Whether stdin is a pipe or a file (`receptionctl … < items.csv`), not a terminal or `/dev/null`.
    static var stdinIsPiped: Bool {
        var info = stat()
        guard fstat(0, &info) == 0 else { return false }
        let type = info.st_mode & S_IFMT
        return type == S_IFIFO || type == S_IFREG
    }
}
