import ReceptionProtocol

/// An event as a plugin's `committed` hook receives it, after the commit that emitted it.
///
/// The host hands a plugin the events of one commit on its own topics as a JSON array of these,
/// in commit order: `[{"data": {...}, "seq": 41, "time": "2026-12-06T10:15:03.120+08:00",
/// "topic": "parcels.notified"}]`.
public struct CommittedEventRecord: Sendable, Equatable {
    /// The topic (`parcels.notified`).
    public var topic: String
    /// The daemon's event sequence number.
    public var seq: Int64
    /// Commit time, ISO 8601 with offset.
    public var time: String
    /// The event's data as the handler emitted it (JSON text).
    public var data: String

    /// Creates a record.
    public init(topic: String, seq: Int64, time: String, data: String) {
        self.topic = topic
        self.seq = seq
        self.time = time
        self.data = data
    }

    /// The records of one commit as the JSON array the ABI carries (members sorted, data as is).
    public static func json(_ events: [CommittedEventRecord]) -> String {
        var json = "["
        for (index, event) in events.enumerated() {
            if index > 0 { json += "," }
            json += "{\"data\":" + event.data + ",\"seq\":\(event.seq),\"time\":"
            JSONValue.writeString(event.time, to: &json)
            json += ",\"topic\":"
            JSONValue.writeString(event.topic, to: &json)
            json += "}"
        }
        return json + "]"
    }

    /// Reads the array; entries without a topic are skipped.
    public static func parse(_ bytes: [UInt8]) -> [(topic: String, seq: Int64, time: String, data: JSONValue)] {
        guard let list = try? JSONValue.parse(bytes).arrayValue else { return [] }
        return list.compactMap { entry in
            guard let topic = entry["topic"]?.stringValue else { return nil }
            return (topic, entry["seq"]?.intValue ?? 0, entry["time"]?.stringValue ?? "", entry["data"] ?? .null)
        }
    }
}
