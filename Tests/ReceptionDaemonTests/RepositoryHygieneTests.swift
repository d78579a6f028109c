import Foundation
import Testing

/// What the repository itself must hold: a quick start run in the checkout keeps a live database
/// with residents' data in `./.receptiond`; `git add -A` must never pick it up.
@Suite("Repository hygiene")
struct RepositoryHygieneTests {
    /// The repository's root (this file is Tests/ReceptionDaemonTests/RepositoryHygieneTests.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test(".gitignore lists the build directories, Package.resolved and the quick start's .receptiond/ state directory")
    func gitignore() throws {
        let lines = try String(contentsOfFile: Self.root + "/.gitignore", encoding: .utf8).split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
        for pattern in [".build/", ".build-*/", "Package.resolved", ".receptiond/"] {
            #expect(lines.contains(pattern), "\(pattern) is missing from .gitignore")
        }
        let readme = try String(contentsOfFile: Self.root + "/README.md", encoding: .utf8)
        #expect(readme.contains("./.receptiond"), "the quick start keeps its state in ./.receptiond")
    }
}
