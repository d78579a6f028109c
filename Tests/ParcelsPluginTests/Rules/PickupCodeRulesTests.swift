import Foundation
import ReceptionPluginTesting
import Testing

@testable import ParcelsPlugin

/// Pickup codes: short, read aloud at the counter, unique among the items still held.
///
/// Serialized: the tests here change `code_length`, and the other rule suites do not look at a
/// code's length.
@Suite("parcels rules: pickup codes", .serialized)
struct PickupCodeRulesTests {
    @Test("A code is letter, digit, letter, digit (never 0, 1, I or O), unique among held items, typed in any case")
    func codeShape() throws {
        let desk = try ParcelsHarness.parcels()
        let items = try desk.call(
            "parcels.receiveBatch",
            ["items": .array((0..<200).map { _ in ["kind": "letter", "recipient": "李娜", "unit": "3-2-1201"] })])
        let codes = try #require(items["items"]?.arrayValue).map(\.code)
        for code in codes {
            #expect(code.wholeMatch(of: ParcelsDesk.codeShape) != nil, "code \(code)")
        }
        #expect(Set(codes).count == 200)
        let first = try #require(codes.first)
        #expect(try desk.item(first.lowercased())["code"] == .string(first), "a code typed in lower case finds it")
        #expect(try desk.item(" \(first.lowercased()) ")["code"] == .string(first), "and with spaces around it")
    }

    @Test("code_length = 6 makes six-character codes, still alternating letters and digits")
    func configuredLength() throws {
        let desk = try ParcelsHarness.parcels(config: ["code_length": 6])
        let code = try desk.receive().code
        #expect(code.wholeMatch(of: #/[A-HJ-NP-Z][2-9][A-HJ-NP-Z][2-9][A-HJ-NP-Z][2-9]/#) != nil, "code \(code)")
    }

    @Test(
        "A desk configured with code_length = 4 makes four-character codes, even right after a desk (or the configuration before a reload) used 6"
    )
    func lengthDoesNotLeakBetweenInstances() throws {
        let before = try ParcelsHarness.parcels(config: ["code_length": 6])
        #expect(try before.receive().code.count == 6)
        let after = try ParcelsHarness.parcels(config: ["code_length": 4])
        let codes = try (0..<3).map { _ in try after.receive().code }
        #expect(codes.allSatisfy { $0.count == 4 }, "code_length = 4 gave \(codes)")
    }
}
