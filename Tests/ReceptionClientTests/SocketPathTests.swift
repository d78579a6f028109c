import ReceptionClient
import Testing

@Suite("SocketPath")
struct SocketPathTests {
    @Test func explicitWins() {
        let path = SocketPath.resolve(
            explicit: "/tmp/x.sock", environment: ["RECEPTIOND_SOCKET": "/env.sock"], fileExists: { _ in true })
        #expect(path == "/tmp/x.sock")
    }

    @Test func environmentNext() {
        #expect(
            SocketPath.resolve(
                explicit: nil, environment: ["RECEPTIOND_SOCKET": "/env.sock"], fileExists: { _ in true })
                == "/env.sock")
        #expect(
            SocketPath.resolve(explicit: "", environment: ["RECEPTIOND_SOCKET": "/env.sock"], fileExists: { _ in true })
                == "/env.sock")
    }

    @Test func systemSocketWhenItExists() {
        let path = SocketPath.resolve(
            explicit: nil, environment: ["RECEPTIOND_SOCKET": ""], fileExists: { $0 == SocketPath.systemPath })
        #expect(path == "/run/receptiond/receptiond.sock")
    }

    @Test func localStateDirectoryOtherwise() {
        #expect(
            SocketPath.resolve(explicit: nil, environment: [:], fileExists: { _ in false })
                == "./.receptiond/receptiond.sock")
    }
}
