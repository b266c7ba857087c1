import CourseKit
import Foundation
import Testing

/// The reports and logs the tool writes: where writing cannot work, the error
/// says which path and why, in one line, and a grade can check that before it runs.
@Suite("writing report files")
struct AtomicFileTests {
    /// A fresh folder under the temporary folder, removed by the caller.
    func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("deeprl-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("a file is written whole, its missing folders created, and the check leaves nothing behind")
    func writes() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("a/b/report.json").path
        try checkFileCanBeWritten(path)
        try writeFileAtomically("{}", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{}")
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("a/b").path)
        #expect(left == ["report.json"], "the folder holds \(left)")
    }

    @Test("a file where a folder must be is named")
    func fileInTheWay() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("notes.txt")
        try writeFileAtomically("x", to: file.path)
        let path = file.appendingPathComponent("sub/report.json").path
        for attempt in [{ try checkFileCanBeWritten(path) }, { try writeFileAtomically("{}", to: path) }] {
            #expect {
                try attempt()
            } throws: { error in
                "\(error)" == "could not write \(path): \(file.path) is a file, not a folder"
            }
        }
    }

    @Test("a folder given as the file is refused before a run")
    func folderAsFile() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect {
            try checkFileCanBeWritten(folder.path)
        } throws: { error in
            "\(error)".contains("it is a folder")
        }
    }

    @Test("a file-system error reads as its cause, without Foundation's opening sentence or field dump")
    func reason() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        var message = ""
        do {
            let missing = folder.appendingPathComponent("no-such/x").path
            try FileManager.default.createDirectory(atPath: missing, withIntermediateDirectories: false)
        } catch {
            message = fileSystemReason(error)
        }
        #expect(!message.isEmpty && !message.contains("could not be completed") && !message.contains("Domain="), "\(message)")
        struct Other: Error, CustomStringConvertible { var description: String { "the tests timed out" } }
        #expect(fileSystemReason(Other()) == "the tests timed out", "an error that is not the file system's keeps its own text")
    }
}
