import ReceptionProtocol

/// The property's currency, as `daemon.hello` and `daemon.status` publish it
/// (`{"code":"CNY","symbol":"¥","decimals":2}`). Amounts on the wire are integers of minor units
/// (fen); a person types and reads major units (yuan): `1500` is `¥15.00`.
public struct Currency: Sendable, Hashable {
    /// ISO 4217 code (`CNY`).
    public var code: String
    /// What precedes an amount (`¥`).
    public var symbol: String
    /// Digits after the decimal point: minor units per major unit is 10 to this power.
    public var decimals: Int

    /// A currency.
    public init(code: String, symbol: String, decimals: Int) {
        self.code = code
        self.symbol = symbol
        self.decimals = decimals
    }

    /// Renminbi, `¥`, 2 decimals: the daemon's default, and what a reply without `currency`
    /// (a daemon from before currencies were published) means.
    public static let cny = Currency(code: "CNY", symbol: "¥", decimals: 2)

    /// Reads the wire object; `nil` unless it has a code, a symbol and decimals from 0 to 4.
    public init?(json: JSONValue?) {
        guard let json, let code = json["code"]?.stringValue, let symbol = json["symbol"]?.stringValue,
            let decimals = json["decimals"]?.intValue, (0...4).contains(decimals)
        else { return nil }
        self.init(code: code, symbol: symbol, decimals: Int(decimals))
    }

    /// The currency a `daemon.hello` or `daemon.status` result names, or ``cny`` when it names none.
    public static func published(in result: JSONValue) -> Currency {
        Currency(json: result["currency"]) ?? .cny
    }

    /// What the major unit is called in help text: `yuan` for CNY, else the code.
    public var majorUnitName: String {
        switch code {
        case "CNY": return "yuan"
        default: return code
        }
    }

    /// Minor units in one major unit (100 for 2 decimals).
    public var minorPerMajor: Int64 {
        var factor: Int64 = 1
        for _ in 0..<decimals { factor *= 10 }
        return factor
    }

    /// `1500` → `¥15.00`, `-250` → `-¥2.50`; with 0 decimals `1500` → `¥1500`.
    public func format(minorUnits amount: Int64) -> String {
        let sign = amount < 0 ? "-" : ""
        let magnitude = amount.magnitude
        let factor = UInt64(minorPerMajor)
        let major = magnitude / factor
        guard decimals > 0 else { return "\(sign)\(symbol)\(major)" }
        let minor = String(magnitude % factor)
        let padded = String(repeating: "0", count: decimals - minor.count) + minor
        return "\(sign)\(symbol)\(major).\(padded)"
    }
}
