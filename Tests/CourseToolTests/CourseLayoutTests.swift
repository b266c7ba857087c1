import CourseKit
import CourseTool
import Foundation
import Testing

/// The course folder this test file belongs to.
let courseRoot = CourseRoot(path: URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path)

@Suite("course layout")
struct CourseLayoutTests {
    // The checks that compare Lessons/ with Solutions/ run only where
    // Solutions/ exists (not in a student handout).

    @Test("every lesson is worth 100 points in 4 to 8 exercises with unique ids")
    func catalog() {
        var ids = Set<String>()
        for lesson in Course.lessons {
            #expect(lesson.maxScore == 100, "lesson \(lesson.id) is worth \(lesson.maxScore) points, expected 100")
            #expect((4...8).contains(lesson.exercises.count), "lesson \(lesson.id) has \(lesson.exercises.count) exercises")
            for exercise in lesson.exercises {
                #expect(ids.insert(exercise.id).inserted, "exercise id \(exercise.id) is used twice")
                #expect(exercise.id.hasPrefix("\(Int(lesson.id)!)."), "exercise \(exercise.id) does not belong to lesson \(lesson.id)")
            }
        }
    }

    @Test("Package.swift builds exactly the catalog's lessons, in order, and each folder holds its module")
    func packageMatchesCatalog() throws {
        let manifest = try #require(courseRoot.read("Package.swift"))
        let pattern = /Lesson\(module: "([A-Za-z0-9]+)", directory: "([A-Za-z0-9-]+)"/
        let built = manifest.matches(of: pattern).map { "\($0.output.1) in \($0.output.2)" }
        let catalog = Course.lessons.map { "\($0.module) in \($0.directory)" }
        #expect(built == catalog, "Package.swift's lessons \(built) differ from the catalog's \(catalog)")
        for lesson in Course.lessons {
            let name = lesson.directory.drop { $0 != "-" }.dropFirst()
            #expect(name == lesson.module, "lesson \(lesson.id): folder \(lesson.directory) holds module \(lesson.module)")
            #expect(courseRoot.exists("Tests/\(lesson.testModule)"), "lesson \(lesson.id): no Tests/\(lesson.testModule)")
        }
    }

    @Test("the committed Lessons/ is what the generator makes from Solutions/", .enabled(if: courseRoot.hasSolutions, "needs Solutions/ (the instructors' repository)"))
    func lessonsUpToDate() throws {
        let differences = try LessonGenerator.differences(in: courseRoot)
        #expect(differences.isEmpty, "run `swift run deeprl generate`: \(differences)")
    }

    @Test("Lessons/ and Solutions/ have exactly the same files", .enabled(if: courseRoot.hasSolutions, "needs Solutions/ (the instructors' repository)"))
    func sameFiles() throws {
        for lesson in Course.lessons {
            let lessons = courseRoot.swiftFiles(in: "Lessons/\(lesson.directory)")
            let solutions = courseRoot.swiftFiles(in: "Solutions/\(lesson.directory)")
            #expect(lessons == solutions, "lesson \(lesson.id): Lessons has \(lessons), Solutions has \(solutions)")
            #expect(courseRoot.exists("Lessons/\(lesson.directory)/README.md"), "lesson \(lesson.id) needs its lecture notes")
        }
    }

    @Test("every exercise's suite exists in the lesson's test target")
    func suitesExist() throws {
        for lesson in Course.lessons {
            let folder = "Tests/\(lesson.testModule)"
            let text = filesText(in: folder)
            for exercise in lesson.exercises {
                #expect(text.contains("struct \(exercise.suite)"), "exercise \(exercise.id): no suite struct \(exercise.suite) in \(folder)")
            }
        }
    }

    @Test("tests use only the public API (no testable imports)")
    func noTestable() {
        for folder in (try? FileManager.default.contentsOfDirectory(atPath: courseRoot.url("Tests").path)) ?? [] {
            let marker = "@" + "testable import"
            #expect(!filesText(in: "Tests/\(folder)").contains(marker), "Tests/\(folder) uses \(marker)")
        }
    }

    @Test("the handout check finds leaked solution text and accepts the skeletons", .enabled(if: courseRoot.hasSolutions, "needs Solutions/ (the instructors' repository)"))
    func leakCheck() throws {
        let clean = try Handout.findLeaks(solutions: courseRoot, in: CourseRoot(path: courseRoot.url("Lessons").path))
        #expect(clean.isEmpty, "the skeletons leak solution text: \(clean)")
        let leaky = try Handout.findLeaks(solutions: courseRoot, in: CourseRoot(path: courseRoot.url("Solutions").path))
        #expect(!leaky.isEmpty, "copying Solutions/ must count as a leak")
    }

    private func filesText(in folder: String) -> String {
        courseRoot.swiftFiles(in: folder).compactMap { courseRoot.read("\(folder)/\($0)") }.joined(separator: "\n")
    }
}
