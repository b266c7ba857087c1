import CourseKit
import Foundation

/// Where the grader builds and runs the tests: the course itself, or a
/// pristine copy with a submission's lesson files laid over it.
struct Workspace {
    /// The folder holding Package.swift.
    var directory: String
    /// The SwiftPM build folder.
    var scratch: String
    /// "lessons" or "solutions" (DEEPRL_IMPL).
    var implementation: String

    /// The folders of the course a pristine copy needs.
    static let copiedFolders = ["Sources", "Tests", "Lessons"]

    /// A pristine copy of the course in `.build-grade/course` (kept between
    /// runs so that rebuilding is incremental): Package.swift, Sources/,
    /// Tests/ and the official Lessons/ of `root`, and nothing else.
    static func pristineCopy(of root: CourseRoot, log: (String) -> Void) throws -> Workspace {
        let copy = root.url(".build-grade/course")
        let fm = FileManager.default
        try fm.createDirectory(at: copy, withIntermediateDirectories: true)
        try syncFile(from: root.url("Package.swift"), to: copy.appendingPathComponent("Package.swift"))
        for folder in copiedFolders {
            let source = root.url(folder)
            let destination = copy.appendingPathComponent(folder)
            let wanted = filesRecursively(in: source)
            for file in wanted {
                try syncFile(from: source.appendingPathComponent(file), to: destination.appendingPathComponent(file))
            }
            let wantedSet = Set(wanted)
            for file in filesRecursively(in: destination) where !wantedSet.contains(file) {
                try fm.removeItem(at: destination.appendingPathComponent(file))
            }
        }
        return Workspace(directory: copy.path, scratch: root.url(".build-grade/scratch").path, implementation: "lessons")
    }

    /// Lays the submission's lesson `.swift` files over the copy. Only files
    /// that exist in the official `Lessons/` are taken: a submission cannot
    /// add or change tests, the catalog, the grader or Package.swift.
    ///
    /// The submission may be a course copy (with Lessons/), a Lessons folder
    /// (with lesson folders such as 01-MDPs/), or loose files, which are
    /// matched to lesson files by name.
    func overlay(submission: String, root: CourseRoot, log: (String) -> Void) throws {
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        guard fm.fileExists(atPath: submission, isDirectory: &isFolder), isFolder.boolValue else {
            throw ToolError("--submission \(submission): no such folder", status: 2)
        }
        let submissionURL = URL(fileURLWithPath: submission).standardizedFileURL
        let official = filesRecursively(in: root.url("Lessons")).filter { $0.hasSuffix(".swift") }
        let lessonsRoot: URL
        if fm.fileExists(atPath: submissionURL.appendingPathComponent("Lessons").path) {
            lessonsRoot = submissionURL.appendingPathComponent("Lessons")
        } else if official.contains(where: { fm.fileExists(atPath: submissionURL.appendingPathComponent($0).path) }) {
            lessonsRoot = submissionURL
        } else {
            // Loose files: match by file name where the name is unique in the course.
            var taken = 0
            for file in filesRecursively(in: submissionURL) where file.hasSuffix(".swift") {
                let name = URL(fileURLWithPath: file).lastPathComponent
                let matches = official.filter { URL(fileURLWithPath: $0).lastPathComponent == name }
                if matches.count == 1 {
                    try syncFile(from: submissionURL.appendingPathComponent(file),
                                 to: URL(fileURLWithPath: directory).appendingPathComponent("Lessons/\(matches[0])"))
                    taken += 1
                } else {
                    log("ignoring \(file): \(matches.isEmpty ? "not a lesson file" : "ambiguous, submit it inside its lesson folder")")
                }
            }
            log("took \(taken) loose lesson file(s) from \(submission)")
            return
        }
        var taken = 0
        for file in official where fm.fileExists(atPath: lessonsRoot.appendingPathComponent(file).path) {
            try syncFile(from: lessonsRoot.appendingPathComponent(file),
                         to: URL(fileURLWithPath: directory).appendingPathComponent("Lessons/\(file)"))
            taken += 1
        }
        log("took \(taken) lesson file(s) from \(lessonsRoot.path)")
    }

    /// Puts back the official skeleton files of one lesson (used when the
    /// submitted lesson does not compile).
    func restoreSkeleton(of lessonDirectory: String, from root: CourseRoot) throws {
        for file in root.swiftFiles(in: "Lessons/\(lessonDirectory)") {
            let source = root.url("Lessons/\(lessonDirectory)/\(file)")
            let text = try String(contentsOf: source, encoding: .utf8)
            // In the instructors' repository Lessons/ holds the generated skeletons;
            // in a student's own checkout use the generator's output if available.
            var skeleton = text
            if root.hasSolutions, let solution = root.read("Solutions/\(lessonDirectory)/\(file)") {
                skeleton = try SkeletonGenerator.skeleton(of: solution, lessonPath: "Lessons/\(lessonDirectory)/\(file)")
            }
            try writeFileAtomically(skeleton, to: URL(fileURLWithPath: directory).appendingPathComponent("Lessons/\(lessonDirectory)/\(file)").path)
        }
    }

    /// Builds the course and its tests (debug).
    func build() throws -> ProcessOutcome {
        try runProcess(try swiftExecutable(), ["build", "--build-tests", "--scratch-path", scratch], in: directory,
                       environment: ["DEEPRL_IMPL": implementation], timeout: 3600)
    }
}
