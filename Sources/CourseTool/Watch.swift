import CourseKit
import Foundation
import Synchronization

/// `deeprl watch [ID]`: rustlings' watch mode. It follows one exercise
/// (the given one, or the first that does not pass yet), and every time a
/// file under `Lessons/` changes it rebuilds and runs that exercise's suite,
/// shows the result cleanly, and moves on to the next exercise once it
/// passes. Files are polled (no dependencies); a burst of saves triggers one
/// rebuild; `stop()` (Ctrl-C in the tool) leaves cleanly.
public final class Watcher: @unchecked Sendable {
    /// The course folder.
    public let root: CourseRoot
    /// Seconds between two looks at the files.
    public let interval: Double
    /// Where the output goes (the terminal in the tool, a buffer in tests).
    let output: @Sendable (String) -> Void
    private let stopped = Atomic<Bool>(false)

    /// Creates a watcher.
    public init(root: CourseRoot, interval: Double = 0.5, output: @escaping @Sendable (String) -> Void) {
        self.root = root
        self.interval = interval
        self.output = output
    }

    /// Asks the loop to end at its next look (safe from any thread, and
    /// from a signal handler: one atomic store).
    public func stop() { stopped.store(true, ordering: .relaxed) }

    var isStopped: Bool { stopped.load(ordering: .relaxed) || isOrphaned }

    /// The process that started the watcher (see `isOrphaned`).
    private let parent = getppid()

    /// True when nobody is left to read the output: the program that started
    /// watch has exited (the process now belongs to another parent), or the
    /// course folder was deleted. Watch then ends by itself instead of
    /// polling forever in the background.
    var isOrphaned: Bool {
        getppid() != parent || !FileManager.default.fileExists(atPath: root.url("Lessons").path)
    }

    /// The modification times of every Swift file under Lessons/.
    func snapshot() -> [String: Date] {
        var times: [String: Date] = [:]
        for file in filesRecursively(in: root.url("Lessons")) where file.hasSuffix(".swift") {
            let attributes = try? FileManager.default.attributesOfItem(atPath: root.url("Lessons/\(file)").path)
            times[file] = attributes?[.modificationDate] as? Date
        }
        return times
    }

    /// Waits until the files change and then stay unchanged for one
    /// interval (a burst of saves is one change). Returns false when stopped.
    func waitForChange(from start: [String: Date]) -> Bool {
        var last = start
        while !isStopped {
            Thread.sleep(forTimeInterval: interval)
            let now = snapshot()
            if now != last {
                last = now
                // Settle: keep waiting while the files are still changing.
                while !isStopped {
                    Thread.sleep(forTimeInterval: interval)
                    let again = snapshot()
                    if again == last { return true }
                    last = again
                }
            }
        }
        return false
    }

    /// Runs until stopped (or, in tests, until `maxRounds` builds).
    ///
    /// - Parameter start: the exercise id to follow first, or a lesson (its
    ///   first exercise that does not pass); nil: the first exercise, in
    ///   course order, that does not pass.
    public func run(start: String? = nil, maxRounds: Int = .max) throws {
        var passing = Set<String>()
        var current: (LessonInfo, ExerciseInfo)
        // Without an exercise to start from, the first look skips quietly over the exercises that already pass.
        var scanning = true
        if let start {
            // As `deeprl check`: an exercise, or a lesson (its first exercise that does not pass).
            let named = try StudentCheck.exercises(named: start)
            (current, scanning) = (named[0], Course.exercise(start) == nil)
        } else {
            current = (Course.lessons[0], Course.lessons[0].exercises[0])
        }
        output("watching Lessons/ (Ctrl-C to stop)\n")
        var rounds = 0
        var files = snapshot()
        while !isStopped && rounds < maxRounds {
            rounds += 1
            output("\n── exercise \(current.1.id) \(current.1.symbol) · \(Self.time()) ──\n")
            output("building ...\n")
            if let errors = try StudentCheck.build(root) {
                output("✘ the course does not compile:\n" + errors.map { "    " + $0 }.joined(separator: "\n") + "\n")
            } else {
                // Check the current exercise; while it passes, move on (no rebuild needed).
                var skipped: [String] = []
                while true {
                    let result = StudentCheck.run([current], in: root)[0]
                    if result.passed { passing.insert(current.1.id) } else { passing.remove(current.1.id) }
                    if scanning && result.passed {
                        skipped.append(current.1.id)
                    } else {
                        if !skipped.isEmpty {
                            output("already passing: \(skipped.joined(separator: ", "))\n\n")
                            output("── exercise \(current.1.id) \(current.1.symbol) ──\n")
                            skipped = []
                        }
                        output(StudentCheck.describe(result, in: root))
                        output(StudentCheck.progressLine(current.0, passing: passing) + "\n")
                    }
                    guard result.passed else { break }
                    guard let next = Self.next(after: current.1.id) else {
                        if !skipped.isEmpty { output("already passing: \(skipped.joined(separator: ", "))\n") }
                        output("every exercise of the course passes: well done.\n")
                        return
                    }
                    current = next
                    if !scanning { output("\nnext: exercise \(current.1.id) \(current.1.symbol): \(current.1.goal)\n") }
                }
                scanning = false
            }
            output("waiting for changes under Lessons/ ...\n")
            guard rounds < maxRounds, waitForChange(from: files) else { break }
            files = snapshot()
        }
        output("watch stopped\n")
    }

    /// The exercise after `id` in course order.
    static func next(after id: String) -> (LessonInfo, ExerciseInfo)? {
        let all = Course.lessons.flatMap { lesson in lesson.exercises.map { (lesson, $0) } }
        guard let index = all.firstIndex(where: { $0.1.id == id }), index + 1 < all.count else { return nil }
        return all[index + 1]
    }

    static func time() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        return formatter.string(from: Date())
    }
}
