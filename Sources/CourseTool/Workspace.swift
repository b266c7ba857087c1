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
        let copy = root.url(BuildFolder.gradeCopy)
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
        return Workspace(directory: copy.path, scratch: root.url(BuildFolder.gradeScratch).path, implementation: "lessons")
    }

    /// The largest lesson file the grader takes.
    static let maximumFileBytes = 512 * 1024

    /// Lays the submission's lesson `.swift` files over the copy. Only files
    /// at the paths of the official `Lessons/` are taken: a submission cannot
    /// add or change tests, the catalog, the grader or Package.swift. Each is
    /// read without following links, in any component of its path below the
    /// submission folder (`Lessons/`, the lesson folder, the file): every
    /// folder on the way must be a real folder and the file a regular UTF-8
    /// file of at most 512 KiB. Anything else is refused (the lesson's
    /// skeleton stays) and gets a line in the report: one per refused folder,
    /// one per refused file.
    ///
    /// The submission may be a course copy (with Lessons/), a Lessons folder
    /// (with lesson folders such as 01-MDPs/), or loose files, which are
    /// matched to lesson files by name.
    ///
    /// - Returns: one line per file or folder refused or ignored, for the report.
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
        var refusedFolders: [String] = []
        var taken = 0
        /// Takes the file at `relative` (below the submission) as `lessonFile`, or notes why not.
        func take(_ relative: String, as lessonFile: String, shown: String) {
            switch Workspace.readSubmittedFile(relative, in: submissionURL) {
            case .success(let data):
                do {
                    try syncData(data, to: URL(fileURLWithPath: directory).appendingPathComponent("Lessons/\(lessonFile)"))
                    taken += 1
                } catch {
                    notes.append("\(shown): could not be copied (\(fileSystemReason(error))); the skeleton is graded instead")
                }
            case .failure(.missing):
                break
            case .failure(.folder(let folder, let reason)):
                if !refusedFolders.contains(folder) {
                    refusedFolders.append(folder)
                    notes.append("\(folder): refused, \(reason.description); the skeletons of the lesson files under it are graded instead")
                }
            case .failure(let reason):
                notes.append("\(shown): refused, \(reason.description); the skeleton is graded instead")
            }
        }
        let lessonsPrefix: String
        if Workspace.entryExists(submissionURL.appendingPathComponent("Lessons")) {
            lessonsPrefix = "Lessons/"
        } else if official.contains(where: { Workspace.entryExists(submissionURL.appendingPathComponent($0)) })
                    || Course.lessons.contains(where: { Workspace.entryExists(submissionURL.appendingPathComponent($0.directory)) }) {
            lessonsPrefix = ""
        } else {
            // Loose files: match by file name where the name is unique in the course.
            for file in filesRecursively(in: submissionURL, includingLinks: true) {
                let name = URL(fileURLWithPath: file).lastPathComponent
                guard file.hasSuffix(".swift") else {
                    if Workspace.isLink(submissionURL.appendingPathComponent(file)) {
                        notes.append("\(file): ignored, it is a symbolic link (submit the files themselves)")
                    }
                    continue
                }
                let matches = official.filter { URL(fileURLWithPath: $0).lastPathComponent == name }
                if matches.count == 1 {
                    take(file, as: matches[0], shown: file)
                } else {
                    notes.append("\(file): ignored, \(matches.isEmpty ? "not a lesson file" : "ambiguous, submit it inside its lesson folder")")
                }
            }
            log("took \(taken) loose lesson file(s) from \(submission)")
            return notes
        }
        for file in official {
            take(lessonsPrefix + file, as: file, shown: "Lessons/\(file)")
        }
        log("took \(taken) lesson file(s) from \(submissionURL.path)/\(lessonsPrefix)")
        return notes
    }

    /// Why a submitted file is not taken.
    enum Refusal: Error, CustomStringConvertible {
        case missing
        indirect case folder(String, Refusal)
        case link, linkedFolder, notFolder(String), notRegular(String), tooLarge(Int), notUTF8, unreadable(String)
        var description: String {
            switch self {
            case .missing: return "it does not exist"
            case .folder(let path, let reason): return "\(path) \(reason.description)"
            case .link: return "it is a symbolic link (submit the file itself)"
            case .linkedFolder: return "it is a symbolic link (submit the folder itself, not a link to it)"
            case .notFolder(let kind): return "it is \(kind), not a folder"
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

    /// True when `url` itself is a symbolic link.
    static func isLink(_ url: URL) -> Bool {
        var info = stat()
        return lstat(url.path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }

    /// What kind of entry `info` describes, in words.
    static func kind(_ info: stat) -> String {
        switch info.st_mode & S_IFMT {
        case S_IFREG: return "a regular file"
        case S_IFDIR: return "a folder"
        case S_IFCHR, S_IFBLK: return "a device"
        case S_IFIFO: return "a pipe"
        case S_IFSOCK: return "a socket"
        default: return "a special file"
        }
    }

    /// Reads the file at `relative` below `folder` without following a link
    /// in any component of that path: each folder on the way is opened with
    /// `openat(..., O_NOFOLLOW | O_DIRECTORY)` from the one before, after
    /// `fstatat(..., AT_SYMLINK_NOFOLLOW)` said it is a real folder, and the
    /// file with `O_NOFOLLOW`; only a regular UTF-8 file of at most
    /// `maximumFileBytes` bytes is accepted. (`folder` itself may be a link:
    /// it is what the grader was told to read.)
    ///
    /// - Returns: the bytes; `.missing` when nothing is at the path; `.folder`
    ///   when a folder on the way is refused (a link, or not a folder).
    static func readSubmittedFile(_ relative: String, in folder: URL) -> Result<Data, Refusal> {
        var directory = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { return .failure(.unreadable("errno \(errno)")) }
        defer { close(directory) }
        let components = relative.split(separator: "/").map(String.init)
        guard let name = components.last else { return .failure(.missing) }
        var walked = ""
        for component in components.dropLast() {
            walked += (walked.isEmpty ? "" : "/") + component
            var info = stat()
            guard fstatat(directory, component, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return .failure(.missing) }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: break
            case S_IFLNK: return .failure(.folder(walked, .linkedFolder))
            default: return .failure(.folder(walked, .notFolder(kind(info))))
            }
            let next = openat(directory, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            var opened = stat()
            guard next >= 0, fstat(next, &opened) == 0, opened.st_ino == info.st_ino, opened.st_dev == info.st_dev else {
                if next >= 0 { close(next) }
                return .failure(.folder(walked, .notFolder("no longer the folder that was checked")))
            }
            close(directory)
            directory = next
        }
        var info = stat()
        guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return .failure(.missing) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFLNK: return .failure(.link)
        default: return .failure(.notRegular(kind(info)))
        }
        guard Int(info.st_size) <= maximumFileBytes else { return .failure(.tooLarge(Int(info.st_size))) }
        let fd = openat(directory, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return .failure(.unreadable("errno \(errno)")) }
        defer { close(fd) }
        var after = stat()
        guard fstat(fd, &after) == 0, after.st_mode & S_IFMT == S_IFREG, after.st_ino == info.st_ino, after.st_dev == info.st_dev else {
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
