import Foundation

/// The folder of a course checkout (the one holding Package.swift and
/// Lessons/) and the file operations the tool needs there.
public struct CourseRoot: Sendable {
    /// The absolute path of the course folder.
    public let path: String

    /// Uses `path` as the course root.
    public init(path: String) {
        self.path = URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// Finds the course root from `start` upwards: the first folder with a
    /// Package.swift and a Lessons/ folder.
    ///
    /// - Throws: `ToolError` if there is none.
    public static func find(from start: String = FileManager.default.currentDirectoryPath) throws -> CourseRoot {
        var url = URL(fileURLWithPath: start).standardizedFileURL
        while true {
            let fm = FileManager.default
            if fm.fileExists(atPath: url.appendingPathComponent("Package.swift").path),
               fm.fileExists(atPath: url.appendingPathComponent("Lessons").path) {
                return CourseRoot(path: url.path)
            }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path {
                throw ToolError("no course found: run deeprl inside the course folder (the one with Package.swift and Lessons/)")
            }
            url = parent
        }
    }

    /// `path/relative`.
    public func url(_ relative: String) -> URL {
        URL(fileURLWithPath: path).appendingPathComponent(relative)
    }

    /// True when `relative` exists under the root.
    public func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: url(relative).path)
    }

    /// True when the checkout has the reference solutions.
    public var hasSolutions: Bool { exists("Solutions") }

    /// The `.swift` files directly inside `relativeFolder`, sorted by name.
    public func swiftFiles(in relativeFolder: String) -> [String] {
        files(in: relativeFolder, withExtension: "swift")
    }

    /// The files named `*.<fileExtension>` directly inside `relativeFolder`, sorted by name.
    public func files(in relativeFolder: String, withExtension fileExtension: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url(relativeFolder).path)) ?? []
        return names.filter { $0.hasSuffix("." + fileExtension) }.sorted()
    }

    /// The text of a file under the root, or nil.
    public func read(_ relative: String) -> String? {
        try? String(contentsOf: url(relative), encoding: .utf8)
    }
}

/// The build folders of a course checkout, each named once here
/// (docs/ARCHITECTURE.md, "Build folders and environment variables"); git
/// ignores them all and each can be deleted safely.
public enum BuildFolder {
    /// The student's build of `Lessons/`: `swift build`, `swift test`, check, watch, grade.
    public static let student = ".build"
    /// The reference build (`DEEPRL_IMPL=solutions`): `--reference` demos and grading.
    public static let reference = ".build-solutions"
    /// `deeprl grade --submission`: the pristine copy with the submitted files.
    public static let gradeCopy = ".build-grade/course"
    /// `deeprl grade --submission`: the copy's build.
    public static let gradeScratch = ".build-grade/scratch"
    /// `deeprl mistakes`: the reference with every catalogued mistake spliced in.
    public static let mistakesCopy = ".build-mistakes/course"
    /// `deeprl mistakes`: that copy's build.
    public static let mistakesScratch = ".build-mistakes/scratch"

    /// The build folder of an implementation ("lessons" or "solutions").
    public static func of(implementation: String) -> String { implementation == "solutions" ? reference : student }
}

/// An error of the course tool: a message for the user and an exit status.
public struct ToolError: Error, CustomStringConvertible {
    /// What went wrong and what to do.
    public var message: String
    /// The process exit status (2 for usage errors, 1 otherwise).
    public var status: Int32

    /// Creates an error.
    public init(_ message: String, status: Int32 = 1) {
        self.message = message
        self.status = status
    }

    public var description: String { message }
}

/// Copies `source` to `destination` only when the content differs, so an
/// unchanged file keeps its modification time and is not recompiled.
///
/// - Returns: true when the destination was written.
@discardableResult
func syncFile(from source: URL, to destination: URL) throws -> Bool {
    let data = try Data(contentsOf: source)
    if let existing = try? Data(contentsOf: destination), existing == data { return false }
    try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
    try data.write(to: destination, options: .atomic)
    return true
}

/// Writes `data` to `destination` only when it differs.
func syncData(_ data: Data, to destination: URL) throws {
    if let existing = try? Data(contentsOf: destination), existing == data { return }
    try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
    try data.write(to: destination, options: .atomic)
}

/// Every regular file under `folder` (and, with `includingLinks`, every
/// entry that is not a folder: links, pipes, devices), as paths relative to
/// it, skipping hidden entries.
func filesRecursively(in folder: URL, includingLinks: Bool = false) -> [String] {
    guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey],
                                                          options: [.skipsHiddenFiles]) else { return [] }
    var result: [String] = []
    let base = folder.standardizedFileURL.path
    for case let url as URL in enumerator {
        if includingLinks {
            var info = stat()
            guard lstat(url.path, &info) == 0, info.st_mode & S_IFMT != S_IFDIR else { continue }
        } else {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
        }
        var relative = url.standardizedFileURL.path
        if relative.hasPrefix(base + "/") { relative.removeFirst(base.count + 1) }
        result.append(relative)
    }
    return result.sorted()
}
