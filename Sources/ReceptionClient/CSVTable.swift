/// A CSV file as people export it from a spreadsheet (RFC 4180): a header row, then one record
/// per row; fields separated by commas, quoted with `"` when they hold a comma, a quote (written
/// `""`) or a line break; lines ending in CRLF or LF; UTF-8 with or without a byte-order mark.
///
/// Every record remembers the line it starts on, so an error can name it.
public struct CSVTable: Sendable, Hashable {
    /// The header row's fields, trimmed of surrounding spaces.
    public var header: [String]
    /// The records after the header; blank lines are skipped.
    public var rows: [Row]

    /// One record and the line it starts on (1 is the header's line).
    public struct Row: Sendable, Hashable {
        /// The line number in the file.
        public var line: Int
        /// The fields, as many as the header has.
        public var fields: [String]
    }

    /// Why a file could not be read as CSV; `line` and `column` (1-based) say where.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        /// The line of the file.
        public var line: Int
        /// The column (a header name) when the problem is in one field.
        public var column: String?
        /// What is wrong.
        public var message: String
        /// `line 3: …` or `line 3, column tracking: …`.
        public var description: String {
            column.map { "line \(line), column \($0): \(message)" } ?? "line \(line): \(message)"
        }
    }

    /// Limits that keep a mistaken file (a log, a binary) from being read whole into a request.
    public struct Limits: Sendable, Hashable {
        /// Most records after the header.
        public var maxRows: Int
        /// Longest line, in bytes.
        public var maxLineBytes: Int
        /// Creates limits.
        public init(maxRows: Int, maxLineBytes: Int = 4096) {
            self.maxRows = maxRows
            self.maxLineBytes = maxLineBytes
        }
    }

    /// Reads `bytes` (the whole file) within `limits`.
    public static func parse(_ bytes: [UInt8], limits: Limits) throws(Problem) -> CSVTable {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard let text = String(validating: body, as: UTF8.self) else {
            throw Problem(line: firstInvalidLine(body), message: "is not UTF-8 text (save the file as CSV UTF-8)")
        }
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var afterQuote = false
        var line = 1
        var recordLine = 1
        var lineBytes = 0
        var atRecordStart = true
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func endRecord() {
            fields.append(field)
            let blank = fields.count == 1 && fields[0].isEmpty
            if !blank { records.append((recordLine, fields)) }
            fields = []
            field = ""
            atRecordStart = true
        }
        while let scalar = pending ?? scalars.next() {
            pending = nil
            lineBytes += String(scalar).utf8.count
            if lineBytes > limits.maxLineBytes {
                throw Problem(line: line, message: "is longer than \(limits.maxLineBytes) bytes")
            }
            if atRecordStart {
                recordLine = line
                atRecordStart = false
            }
            if quoted {
                if scalar == "\"" {
                    if let next = scalars.next() {
                        if next == "\"" {
                            field.unicodeScalars.append("\"")
                            lineBytes += 1
                        } else {
                            quoted = false
                            afterQuote = true
                            pending = next
                        }
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    if scalar == "\n" {
                        line += 1
                        lineBytes = 0
                    }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case ",":
                fields.append(field)
                field = ""
                afterQuote = false
            case "\r":
                continue
            case "\n":
                endRecord()
                afterQuote = false
                line += 1
                lineBytes = 0
            case "\"":
                guard field.allSatisfy({ $0 == " " }), !afterQuote else {
                    throw Problem(
                        line: line,
                        message:
                            "has a quote inside a field that does not start with one (write \"\" inside a quoted field)"
                    )
                }
                field = ""
                quoted = true
            default:
                if afterQuote {
                    guard scalar == " " else {
                        throw Problem(line: line, message: "has text after a closing quote")
                    }
                    continue
                }
                field.unicodeScalars.append(scalar)
            }
        }
        if quoted { throw Problem(line: recordLine, message: "has a quoted field that is never closed") }
        if !atRecordStart || !field.isEmpty || !fields.isEmpty { endRecord() }

        guard let first = records.first else { throw Problem(line: 1, message: "is empty: the header row is missing") }
        let header = first.fields.map { $0.trimmingSpaces }
        var rows: [Row] = []
        for record in records.dropFirst() {
            guard record.fields.count == header.count else {
                throw Problem(
                    line: record.line,
                    message: "has \(record.fields.count) fields but the header has \(header.count)")
            }
            rows.append(Row(line: record.line, fields: record.fields))
            if rows.count > limits.maxRows {
                throw Problem(line: record.line, message: "is past the limit of \(limits.maxRows) rows in one batch")
            }
        }
        return CSVTable(header: header, rows: rows)
    }

    /// The line holding the first byte that is not UTF-8.
    private static func firstInvalidLine(_ bytes: ArraySlice<UInt8>) -> Int {
        var line = 1
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let end = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            if String(validating: bytes[index..<end], as: UTF8.self) == nil { return line }
            line += 1
            index = end < bytes.endIndex ? bytes.index(after: end) : end
        }
        return line
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
