import CourseKit
import Foundation
#if canImport(Glibc)
import Glibc
#endif

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

    /// The largest lesson file the grader takes.
    static let maximumFileBytes = 512 * 1024

    /// Lays the submission's lesson `.swift` files over the copy. Only files
    /// at the paths of the official `Lessons/` are taken: a submission cannot
    /// add or change tests, the catalog, the grader or Package.swift. Each is
    /// read without following links and must be a regular UTF-8 file of at
    /// most 512 KiB; anything else is refused (the lesson's skeleton stays)
    /// and gets a line in the report.
    ///
    /// The submission may be a course copy (with Lessons/), a Lessons folder
    /// (with lesson folders such as 01-MDPs/), or loose files, which are
    /// matched to lesson files by name.
    ///
    /// - Returns: one line per file refused or ignored, for the report.
    @discardableResult
    func overlay(submission: String, root: CourseRoot, log: (String) -> Void) throws -> [String] {
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        guard fm.fileExists(atPath: submission, isDirectory: &isFolder), isFolder.boolValue else {
            throw ToolError("--submission \(submission): no such folder", status: 2)
        }
        let submissionURL = URL(fileURLWithPath: submission).standardizedFileURL
        let official = filesRecursively(in: root.url("Lessons")).filter { $0.hasSuffix(".swift") }
        var notes: [String] = []
        var taken = 0
        func take(_ source: URL, as lessonFile: String, shown: String) {
            switch Workspace.readSubmittedFile(source) {
            case .success(let data):
                do {
                    try syncData(data, to: URL(fileURLWithPath: directory).appendingPathComponent("Lessons/\(lessonFile)"))
                    taken += 1
                } catch {
                    notes.append("\(shown): could not be copied (\(error)); the skeleton is graded instead")
                }
            case .failure(let reason):
                notes.append("\(shown): refused, \(reason.description); the skeleton is graded instead")
            }
        }
        let lessonsRoot: URL
        if Workspace.entryExists(submissionURL.appendingPathComponent("Lessons")) {
            lessonsRoot = submissionURL.appendingPathComponent("Lessons")
        } else if official.contains(where: { Workspace.entryExists(submissionURL.appendingPathComponent($0)) }) {
            lessonsRoot = submissionURL
        } else {
            // Loose files: match by file name where the name is unique in the course.
            for file in filesRecursively(in: submissionURL, includingLinks: true) where file.hasSuffix(".swift") {
                let name = URL(fileURLWithPath: file).lastPathComponent
                let matches = official.filter { URL(fileURLWithPath: $0).lastPathComponent == name }
                if matches.count == 1 {
                    take(submissionURL.appendingPathComponent(file), as: matches[0], shown: file)
                } else {
                    notes.append("\(file): ignored, \(matches.isEmpty ? "not a lesson file" : "ambiguous, submit it inside its lesson folder")")
                }
            }
            log("took \(taken) loose lesson file(s) from \(submission)")
            return notes
        }
        for file in official where Workspace.entryExists(lessonsRoot.appendingPathComponent(file)) {
            take(lessonsRoot.appendingPathComponent(file), as: file, shown: "Lessons/\(file)")
        }
        log("took \(taken) lesson file(s) from \(lessonsRoot.path)")
        return notes
    }

    /// Why a submitted file is not taken.
    enum Refusal: Error, CustomStringConvertible {
        case link, notRegular(String), tooLarge(Int), notUTF8, unreadable(String)
        var description: String {
            switch self {
            case .link: return "it is a symbolic link (submit the file itself)"
            case .notRegular(let kind): return "it is \(kind), not a regular file"
            case .tooLarge(let bytes): return "it has \(bytes) bytes, more than the \(Workspace.maximumFileBytes) a lesson file may have"
            case .notUTF8: return "it is not UTF-8 text"
            case .unreadable(let why): return "it cannot be read (\(why))"
            }
        }
    }

    /// True when something (a file, a folder, a link, even a dangling one) is at `url`.
    static func entryExists(_ url: URL) -> Bool {
        var info = stat()
        return lstat(url.path, &info) == 0
    }

    /// Reads a submitted file without following links: only a regular UTF-8
    /// file of at most `maximumFileBytes` bytes is accepted.
    static func readSubmittedFile(_ url: URL) -> Result<Data, Refusal> {
        var info = stat()
        guard lstat(url.path, &info) == 0 else { return .failure(.unreadable("errno \(errno)")) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFLNK: return .failure(.link)
        case S_IFDIR: return .failure(.notRegular("a folder"))
        case S_IFCHR, S_IFBLK: return .failure(.notRegular("a device"))
        case S_IFIFO: return .failure(.notRegular("a pipe"))
        case S_IFSOCK: return .failure(.notRegular("a socket"))
        default: return .failure(.notRegular("a special file"))
        }
        guard Int(info.st_size) <= maximumFileBytes else { return .failure(.tooLarge(Int(info.st_size))) }
        let fd = open(url.path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { return .failure(.unreadable("errno \(errno)")) }
        defer { close(fd) }
        var after = stat()
        guard fstat(fd, &after) == 0, after.st_mode & S_IFMT == S_IFREG, after.st_ino == info.st_ino else {
            return .failure(.notRegular("no longer the file that was checked"))
        }
        var bytes = [UInt8](repeating: 0, count: maximumFileBytes + 1)
        var total = 0
        while total < bytes.count {
            let n = read(fd, &bytes[total], bytes.count - total)
            if n <= 0 { break }
            total += n
        }
        guard total <= maximumFileBytes else { return .failure(.tooLarge(total)) }
        let data = Data(bytes[0..<total])
        guard String(data: data, encoding: .utf8) != nil else { return .failure(.notUTF8) }
        return .success(data)
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

    /// Builds the test executable (debug) and what it needs: every lesson
    /// and its tests, not the demos or the tool, so that a lesson's code can
    /// break only its own module and its own tests.
    func build() throws -> ProcessOutcome {
        try runProcess(try swiftExecutable(), ["build", "--product", "DeepRLCoursePackageTests", "--scratch-path", scratch], in: directory,
                       environment: ["DEEPRL_IMPL": implementation], timeout: 3600)
    }
}
