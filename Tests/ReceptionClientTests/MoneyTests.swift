import ReceptionClient
import ReceptionProtocol
import Testing

/// Money at the counter: typed in yuan, sent and stored in fen, shown as `¥15.00`.
@Suite("Money: major units typed, minor units on the wire, the currency shown")
struct MoneyTests {
    /// `access.keys.checkout` as `daemon.methods` publishes it, trimmed to its money.
    static let checkoutJSON = """
        {"name":"access.keys.checkout","plugin":"access","description":"Lends a key.","access":"write","role":"operator",
         "params":{"type":"object","properties":{
            "tag":{"type":"string","maxLength":32,"x-positional":true},
            "deposit":{"type":"integer","format":"money","minimum":0,"maximum":100000000,
                       "description":"External: the deposit taken"},
            "fines":{"type":"array","items":{"type":"integer","format":"money","minimum":0}},
            "count":{"type":"integer"}
         },"required":["tag"],"additionalProperties":false},
         "display":{"title":"tag","money":["deposit","fee","refund","forfeited","total"]}}
        """

    static func checkout() throws -> MethodInfo {
        guard let method = MethodInfo(json: try JSONValue.parse(checkoutJSON)) else {
            throw UsageError("fixture did not parse")
        }
        return method
    }

    static let jpy = Currency(code: "JPY", symbol: "¥", decimals: 0)
    static let bhd = Currency(code: "BHD", symbol: "BD ", decimals: 3)

    @Test("daemon.hello's currency is read; a reply without one means CNY")
    func readsTheCurrency() throws {
        let hello = try JSONValue.parse(#"{"uid":0,"currency":{"code":"JPY","symbol":"¥","decimals":0}}"#)
        #expect(Currency.published(in: hello) == Self.jpy)
        #expect(Currency.published(in: try JSONValue.parse(#"{"uid":0}"#)) == .cny)
        #expect(Currency(json: try JSONValue.parse(#"{"code":"X","symbol":"x","decimals":9}"#)) == nil)
    }

    @Test("Amounts are shown as symbol and major units with the currency's decimals")
    func formatsMinorUnits() {
        #expect(Currency.cny.format(minorUnits: 1500) == "¥15.00")
        #expect(Currency.cny.format(minorUnits: 5) == "¥0.05")
        #expect(Currency.cny.format(minorUnits: 0) == "¥0.00")
        #expect(Currency.cny.format(minorUnits: -250) == "-¥2.50")
        #expect(Currency.cny.format(minorUnits: 100_000_000) == "¥1000000.00")
        #expect(Self.jpy.format(minorUnits: 1500) == "¥1500")
        #expect(Self.bhd.format(minorUnits: 1234) == "BD 1.234")
        #expect(Currency.cny.format(minorUnits: .min) == "-¥92233720368547758.08")
    }

    @Test("50, 50.00, ¥50, ￥50, CNY 50 and full-width ５０ are all 5000 fen; 50.5 is 5050")
    func parsesMajorUnits() {
        for typed in ["50", "50.00", "50.0", "¥50", "¥ 50", "￥50", "CNY 50", "CNY50", "５０", "５０．００", " 50 "] {
            #expect(MoneyInput.minorUnits(typed, in: .cny) == .success(5000), "\(typed)")
        }
        #expect(MoneyInput.minorUnits("50.5", in: .cny) == .success(5050))
        #expect(MoneyInput.minorUnits(".5", in: .cny) == .success(50))
        #expect(MoneyInput.minorUnits("0.01", in: .cny) == .success(1))
        #expect(MoneyInput.minorUnits("-5", in: .cny) == .success(-500))
        #expect(MoneyInput.minorUnits("-¥5", in: .cny) == .success(-500))
        #expect(MoneyInput.minorUnits("¥-5", in: .cny) == .success(-500))
        #expect(MoneyInput.minorUnits("1500", in: Self.jpy) == .success(1500))
        #expect(MoneyInput.minorUnits("1.234", in: Self.bhd) == .success(1234))
    }

    @Test("What is not an amount, has too many decimals, or overflows is refused")
    func refusesBadAmounts() {
        for typed in ["", "¥", "abc", "50,00", "5 0", "50.", "1e3", "--5", "+5", "$50", "50¥", "0x10"] {
            #expect(MoneyInput.minorUnits(typed, in: .cny) == .failure(.notAnAmount), "\(typed)")
        }
        #expect(MoneyInput.minorUnits("50.005", in: .cny) == .failure(.tooManyDecimals))
        #expect(MoneyInput.minorUnits("50.5", in: Self.jpy) == .failure(.tooManyDecimals))
        #expect(MoneyInput.minorUnits("92233720368547758.08", in: .cny) == .failure(.tooLarge))
    }

    @Test("A money option takes yuan and sends fen: --deposit 50 is {\"deposit\":5000}")
    func moneyOptionsSendMinorUnits() throws {
        let method = try Self.checkout()
        #expect(method.param(named: "deposit")?.isMoney == true)
        #expect(method.param(named: "count")?.isMoney == false)
        #expect(method.involvesMoney)
        for typed in ["50", "50.00", "¥50"] {
            let params = try ParamsBuilder.build(options: ["K-1", "--deposit", typed], for: method)
            #expect(params == ["tag": "K-1", "deposit": 5000], "\(typed)")
        }
        let half = try ParamsBuilder.build(options: ["K-1", "--deposit=50.5", "--count", "50"], for: method)
        #expect(half == ["tag": "K-1", "deposit": 5050, "count": 50], "a plain integer option stays as typed")
        let fines = try ParamsBuilder.build(options: ["K-1", "--fines", "1", "--fines", "2.5"], for: method)
        #expect(fines["fines"] == [100, 250], "each element of a money list is read in yuan")
        let yen = try ParamsBuilder.build(options: ["K-1", "--deposit", "50"], for: method, currency: Self.jpy)
        #expect(yen["deposit"] == 50, "a currency without decimals takes whole units")
    }

    @Test("Refusals name the option and the rule: decimals, negative, maximum, not a number")
    func moneyOptionRefusals() throws {
        let method = try Self.checkout()
        func refusal(_ value: String, currency: Currency = .cny) -> UsageError? {
            do {
                _ = try ParamsBuilder.build(options: ["K-1", "--deposit", value], for: method, currency: currency)
                return nil
            } catch {
                return error
            }
        }
        let decimals = refusal("50.005")
        #expect(decimals?.message == "--deposit takes at most 2 decimals (CNY counts to ¥0.01), not '50.005'")
        #expect(decimals?.option == "--deposit")
        #expect(
            refusal("50.5", currency: Self.jpy)?.message
                == "--deposit takes whole JPY (JPY has no decimals), not '50.5'")
        #expect(refusal("-5")?.message == "--deposit cannot be negative, not '-5'")
        #expect(refusal("1000000.01")?.message == "--deposit must be at most ¥1000000.00, not '1000000.01'")
        #expect(refusal("1000000.00") == nil, "the maximum itself is allowed")
        #expect(refusal("fifty")?.message == "--deposit needs an amount in yuan (¥), such as 50 or 50.00, not 'fifty'")
    }

    @Test("A money option's help says it is in yuan")
    func helpSaysYuan() throws {
        let method = try Self.checkout()
        let help = MethodHelp.render(method)
        #expect(help.contains("[--deposit <yuan>]"), "\(help)")
        #expect(help.contains("(amount in yuan (¥), e.g. 50, 50.00 or ¥50)"), "\(help)")
        #expect(help.contains("--count <integer>"), "\(help)")
        #expect(MethodHelp.render(method, currency: Self.jpy).contains("--deposit <JPY>"))
    }

    @Test("Human output shows display.money members at any depth as ¥; other numbers and nulls stay")
    func presentsMoneyMembers() throws {
        let method = try Self.checkout()
        let reply = try JSONValue.parse(
            #"{"key":{"tag":"K-1","deposit":5000,"floor":12},"receipt":{"deposit":5000,"fee":0,"total":5000,"refund":null},"count":3,"#
                + #""history":[{"fee":150}],"total":"n/a"}"#)
        let shown = MoneyDisplay.present(reply, money: method.moneyMembers, currency: .cny)
        #expect(shown["key"]?["deposit"] == "¥50.00")
        #expect(shown["key"]?["floor"] == 12)
        #expect(shown["receipt"]?["fee"] == "¥0.00")
        #expect(shown["receipt"]?["total"] == "¥50.00")
        #expect(shown["receipt"]?["refund"] == .null)
        #expect(shown["history"]?.arrayValue?.first?["fee"] == "¥1.50")
        #expect(shown["count"] == 3)
        #expect(shown["total"] == "n/a")
        #expect(MoneyDisplay.present(reply, money: [], currency: .cny) == reply)
        let text = ResultFormatter.humanText(shown)
        #expect(text.contains("¥50.00") && !text.contains("5000"), "\(text)")
    }
}

/// Amounts in a list line up like a cash book.
@Suite("Money in tables")
struct MoneyTableTests {
    @Test("A money column is right-aligned, so ¥5.00 sits under the units of ¥50.00")
    func moneyColumnsAlignRight() throws {
        let ledger = try JSONValue.parse(#"{"entries":[{"amount":5000,"type":"deposit"},{"amount":500,"type":"fee"}]}"#)
        let shown = MoneyDisplay.present(ledger, money: ["amount"], currency: .cny)
        let lines = ResultFormatter.humanText(shown, rightAligned: ["amount"]).split(separator: "\n").map(String.init)
        #expect(lines == ["amount  type", "------  -------", "¥50.00  deposit", " ¥5.00  fee"])
        let plain = ResultFormatter.humanText(shown).split(separator: "\n").map(String.init)
        #expect(plain.last == "¥5.00   fee", "without the hint a text column stays left-aligned")
    }
}
