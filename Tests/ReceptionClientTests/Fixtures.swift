import ReceptionClient
import ReceptionProtocol

/// A method description as `daemon.methods` would send it.
enum Fixtures {
    static let noteAddJSON = """
        {"name":"example.note.add","plugin":"example","description":"Adds a note.","access":"write","role":"operator","available":true,
         "params":{"type":"object","properties":{
            "text":{"type":"string","description":"The note."},
            "limit":{"type":"integer"},
            "weight":{"type":"number"},
            "urgent":{"type":"boolean","description":"Flag it."},
            "tags":{"type":"array","items":{"type":"string"}},
            "counts":{"type":"array","items":{"type":"integer"}},
            "meta":{"type":"object"},
            "roomNumber":{"type":"string"},
            "colour":{"type":"string","enum":["red","green"]},
            "anything":{}
         },"required":["text"],"additionalProperties":false}}
        """

    static func noteAdd() throws -> MethodInfo {
        let parsed = try JSONValue.parse(noteAddJSON)
        guard let method = MethodInfo(json: parsed) else {
            throw UsageError("fixture did not parse")
        }
        return method
    }
}
