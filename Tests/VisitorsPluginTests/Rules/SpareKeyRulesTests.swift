import Foundation
import ReceptionPluginTesting
import Testing

@testable import VisitorsPlugin

/// Spare-key entry (issue 15): request → letter → escort → lock-up; no letter, nobody goes in.
@Suite("visitors rules: spare-key entry")
struct SpareKeyRulesTests {
    @Test(
        "the escort is refused without the signed letter (rule letter_required); with it the visitor is let in and the key goes back"
    )
    func escortNeedsTheLetter() throws {
        let desk = try VisitorsHarness.desk(at: "2026-12-06 15:00")
        let visit = try desk.register()
        let entry = try #require(
            try desk.call("visitors.spareKey.request", ["visit": .string(visit), "channel": "other_phone"])["entry"])
        #expect(entry == "SK20261206-0001")
        #expect(desk.lastEvents.map(\.topic) == ["visitors.spareKey.requested"])

        let refused = try desk.callError("visitors.spareKey.escort", ["entry": entry, "staff": "保安 周军"])
        #expect(refused.kind == .validation)
        #expect(refused.details["rule"] == "letter_required")
        #expect(try desk.status(of: visit) == "waiting", "nobody goes in")

        let letter = try desk.call(
            "visitors.spareKey.letter", ["entry": entry, "letterRef": "QRH-2026-118", "via": "fax"])
        #expect(letter["status"] == "letter_received")
        #expect(letter["letterRef"] == "QRH-2026-118")
        let escorted = try desk.call("visitors.spareKey.escort", ["entry": entry, "staff": "保安 周军"])
        #expect(escorted["status"] == "escorted")
        #expect(escorted["staff"] == "保安 周军")
        #expect(escorted["keyBackAt"] != .null)
        #expect(desk.lastEvents.map(\.topic) == ["visitors.spareKey.escorted", "visitors.admitted"])
        let inside = try desk.call("visitors.onSite")["visits"]?.arrayValue?.first
        #expect(inside?["doorOpenedBy"] == "staff_escorted")

        desk.clock.advance(by: 3600)
        let locked = try desk.call("visitors.spareKey.lockUp", ["entry": entry, "staff": "保安 周军"])
        #expect(locked["status"] == "locked_up")
        #expect(locked["lockUpStaff"] == "保安 周军")
        #expect(try desk.status(of: visit) == "signed_out")
        #expect(desk.lastEvents.map(\.topic) == ["visitors.signedOut", "visitors.spareKey.lockedUp"])
        #expect(
            try desk.callError("visitors.spareKey.escort", ["entry": entry, "staff": "保安 周军"]).kind == .invalidState)
    }

    @Test("the escort's times run key out, door opened, key back, not later than now (rule escort_order)")
    func escortOrder() throws {
        let desk = try VisitorsHarness.desk(at: "2026-12-06 15:00")
        let visit = try desk.register()
        let entry = try #require(
            try desk.call("visitors.spareKey.request", ["visit": .string(visit), "channel": "flat_phone"])["entry"])
        try desk.call("visitors.spareKey.letter", ["entry": entry, "letterRef": "QRH-7", "via": "returned"])
        let at = { (wall: String) throws -> JSONValue in .string(Timestamp.format(try VisitorsHarness.local(wall))) }
        let backwards = try desk.callError(
            "visitors.spareKey.escort",
            [
                "entry": entry, "staff": "周军", "keyOutAt": try at("2026-12-06 14:50"),
                "doorOpenedAt": try at("2026-12-06 14:45"),
            ])
        #expect(backwards.details["rule"] == "escort_order")
        #expect(backwards.field == "doorOpenedAt")
        let future = try desk.callError(
            "visitors.spareKey.escort", ["entry": entry, "staff": "周军", "keyBackAt": try at("2026-12-06 15:30")])
        #expect(future.field == "keyBackAt")
        #expect(try desk.status(of: visit) == "waiting")
        let escorted = try desk.call(
            "visitors.spareKey.escort",
            [
                "entry": entry, "staff": "周军", "keyOutAt": try at("2026-12-06 14:50"),
                "doorOpenedAt": try at("2026-12-06 14:55"), "keyBackAt": try at("2026-12-06 14:58"),
            ])
        #expect(
            escorted["doorOpenedAt"]?.stringValue.flatMap(Timestamp.parse)
                == (try VisitorsHarness.local("2026-12-06 14:55")))
        #expect(
            try desk.query("SELECT admitted_at FROM visitors_visits").first?.string("admitted_at").flatMap(
                Timestamp.parse)
                == (try VisitorsHarness.local("2026-12-06 14:55")), "admitted when the door opened")
    }

    @Test("the host's consent is asked by phone, for a visitor still waiting, one open entry per visit")
    func requestRules() throws {
        let desk = try VisitorsHarness.desk(at: "2026-12-06 15:00")
        let visit = try desk.register()
        #expect(
            try desk.callError("visitors.spareKey.request", ["visit": .string(visit), "channel": "intercom"]).details[
                "rule"] == "phone_consent")
        try desk.call("visitors.spareKey.request", ["visit": .string(visit), "channel": "flat_phone"])
        #expect(
            try desk.callError("visitors.spareKey.request", ["visit": .string(visit), "channel": "flat_phone"]).kind
                == .conflict)
        let inside = try desk.admit(["name": "赵强"])
        #expect(
            try desk.callError("visitors.spareKey.request", ["visit": .string(inside), "channel": "flat_phone"]).kind
                == .invalidState)
    }
}
