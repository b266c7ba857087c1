import CourseKit
import Foundation

/// `deeprl handout DIR`: a student copy of the course with no `Solutions/`
/// and no solution text anywhere.
public enum Handout {
    /// The top-level entries a student copy gets (of docs/, the architecture
    /// only: INSTRUCTORS.md and BENCHMARKS.md are the instructors' and
    /// maintainers' and their commands need Solutions/).
    static let entries = ["Package.swift", "README.md", ".gitignore", "Sources", "Tests", "Lessons", "docs/ARCHITECTURE.md"]
    /// Hidden files inside those entries that a student copy needs too (the
    /// folder copy skips hidden files): the hint levels `deeprl hint` reads,
    /// and the record of what the skeletons were generated from.
    static let hiddenFiles = [LessonGenerator.hintsPath, LessonGenerator.manifestPath]

    /// Writes the handout into `destination` (which must not exist or be empty)
    /// and checks it for leaked solution text.
    ///
    /// - Returns: the number of files written.
    /// - Throws: `ToolError` if the destination is not empty, the skeletons
    ///   are stale, or a solution block's text is found in the copy.
    @discardableResult
    public static func write(from root: CourseRoot, to destination: String) throws -> Int {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: destination).standardizedFileURL
        if let contents = try? fm.contentsOfDirectory(atPath: target.path), !contents.isEmpty {
            throw ToolError("\(destination) is not empty; choose a new folder for the handout", status: 2)
        }
        if target.path.hasPrefix(root.path + "/") && !target.path.hasPrefix(root.path + "/.build") {
            throw ToolError("write the handout outside the course folder (got \(destination))", status: 2)
        }
        if root.hasSolutions {
            let stale = try LessonGenerator.differences(in: root)
            guard stale.isEmpty else {
                throw ToolError("Lessons/ is out of date with Solutions/ (\(stale.map(\.description).joined(separator: ", "))); run deeprl generate first")
            }
        }
        var count = 0
        for entry in entries where root.exists(entry) {
            var isFolder: ObjCBool = false
            _ = fm.fileExists(atPath: root.url(entry).path, isDirectory: &isFolder)
            if isFolder.boolValue {
                for file in filesRecursively(in: root.url(entry)) {
                    try syncFile(from: root.url(entry).appendingPathComponent(file),
                                 to: target.appendingPathComponent(entry).appendingPathComponent(file))
                    count += 1
                }
            } else if entry == "README.md", let readme = root.read(entry) {
                try writeFileAtomically(studentReadme(readme), to: target.appendingPathComponent(entry).path)
                count += 1
            } else {
                try syncFile(from: root.url(entry), to: target.appendingPathComponent(entry))
                count += 1
            }
        }
        for file in hiddenFiles where root.exists(file) {
            try syncFile(from: root.url(file), to: target.appendingPathComponent(file))
            count += 1
        }
        if root.hasSolutions {
            let leaks = try findLeaks(solutions: root, in: CourseRoot(path: target.path))
            guard leaks.isEmpty else {
                throw ToolError("solution text leaked into the handout:\n" + leaks.prefix(10).joined(separator: "\n"))
            }
        }
        return count
    }

    /// The course README for a student copy: the first code block (the
    /// instructors' two commands, which need Solutions/) becomes the
    /// commands a student needs, and the sections for instructors,
    /// autograders and contributors are left out.
    public static func studentReadme(_ readme: String) -> String {
        var readme = readme
        for heading in ["## Instructors", "## Autograders", "## Contributors"] {
            guard let start = readme.range(of: "\n" + heading + "\n") else { continue }
            let rest = readme[start.upperBound...]
            let end = rest.range(of: "\n## ")?.lowerBound ?? readme.endIndex
            readme.removeSubrange(start.lowerBound..<end)
        }
        guard let open = readme.range(of: "```sh\n"),
              let close = readme.range(of: "```", range: open.upperBound..<readme.endIndex) else { return readme }
        let commands = """
        # Work on the exercises: re-checks the current one every time you save (Ctrl-C stops):
        swift run deeprl watch

        # Run a lecture demo on your own code in Lessons/ (it stops at the first unfinished exercise):
        swift run deeprl demo mdps

        # Run every test (they grade your Lessons/), and see what to do next:
        swift test
        swift run deeprl progress

        """
        return String(readme[..<open.upperBound]) + commands + String(readme[close.lowerBound...])
    }

    /// Commands in the fenced code blocks of `copy`'s Markdown files that
    /// need the instructors' repository (Solutions/, the reference build,
    /// CI, the maintainers' Python), as "file: command". A student copy must
    /// have none: its documents give commands that work where they are read.
    public static func instructorOnlyCommands(in copy: CourseRoot) -> [String] {
        let markers = ["--reference", "DEEPRL_IMPL=solutions", BuildFolder.reference, "Solutions/", ".ci/run",
                       "deeprl mistakes", "deeprl generate", "deeprl gradescope", "deeprl handout", "python3", "pip "]
        var found: [String] = []
        for file in filesRecursively(in: URL(fileURLWithPath: copy.path)) where file.hasSuffix(".md") {
            var inBlock = false
            for line in (copy.read(file) ?? "").components(separatedBy: "\n") {
                if line.trimmingLeadingSpaces().hasPrefix("```") { inBlock.toggle(); continue }
                let command = line.components(separatedBy: "#")[0].trimmingLeadingSpaces()
                let isCommand = ["swift ", "deeprl ", "bash ", "python3 ", "pip ", "DEEPRL_", ".build", "cd ", "git "]
                    .contains { command.hasPrefix($0) }
                if inBlock, isCommand, markers.contains(where: { command.contains($0) }) { found.append("\(file): \(line)") }
            }
        }
        return found
    }

    /// Places in `copy` where three consecutive lines of a solution block
    /// appear (ignoring indentation and lines that are only braces), and any
    /// solution marker comment. Three lines that the skeletons themselves
    /// contain (outside the markers) do not count.
    public static func findLeaks(solutions root: CourseRoot, in copy: CourseRoot) throws -> [String] {
        func normalised(_ text: String) -> [String] {
            text.split(separator: "\n").map { $0.trimmingLeadingSpaces() }
                .filter { !$0.isEmpty && !["}", "{", ")", "})", "]"].contains($0) }
        }
        func slidingWindows(of lines: [String]) -> [String] {
            lines.count < 3 ? [] : (0...(lines.count - 3)).map { lines[$0..<$0 + 3].joined(separator: "\n") }
        }
        var windows: [String: String] = [:]
        // Windows that also occur in the skeletons (code outside the markers) are public, not leaks.
        var published = Set<String>()
        for folder in (try? fm.contentsOfDirectory(atPath: root.url("Solutions").path)) ?? [] {
            for file in root.swiftFiles(in: "Solutions/\(folder)") {
                let source = root.read("Solutions/\(folder)/\(file)") ?? ""
                let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                for marker in try SkeletonGenerator.markers(in: source, file: file) {
                    let body = normalised(lines[marker.beginLine..<(marker.endLine - 1)].joined(separator: "\n"))
                    for window in slidingWindows(of: body) {
                        windows[window] = "Solutions/\(folder)/\(file) exercise \(marker.exercise)"
                    }
                }
                let skeleton = try SkeletonGenerator.skeleton(of: source, lessonPath: "Lessons/\(folder)/\(file)")
                published.formUnion(slidingWindows(of: normalised(skeleton)))
            }
        }
        for window in published { windows[window] = nil }
        var leaks: [String] = []
        for file in filesRecursively(in: URL(fileURLWithPath: copy.path)) {
            guard let text = copy.read(file) else { continue }
            if text.contains("// BEGIN SOLUTION"), file.hasPrefix("Lessons/") || file.hasPrefix("Sources/Demos/") {
                leaks.append("\(file) contains a solution marker")
            }
            let lines = normalised(text)
            guard lines.count >= 3 else { continue }
            for start in 0...(lines.count - 3) {
                if let origin = windows[lines[start..<start + 3].joined(separator: "\n")] {
                    leaks.append("\(file) repeats code of \(origin): \(lines[start])")
                    break
                }
            }
        }
        return leaks
    }

    private static var fm: FileManager { .default }
}
