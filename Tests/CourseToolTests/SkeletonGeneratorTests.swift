import CourseTool
import Testing

@Suite("skeleton generator")
struct SkeletonGeneratorTests {
    let path = "Lessons/01-MDPs/Example.swift"

    @Test("a function body becomes a TODO and a thrown error; the rest is unchanged")
    func function() throws {
        let source = """
        /// Doc comment stays.
        public func double(_ x: Int) throws -> Int {
            try check(x)
            // BEGIN SOLUTION 1.1: Multiply by two.
            let y = x * 2
            return y
            // END SOLUTION
        }
        """
        let expected = """
        /// Doc comment stays.
        public func double(_ x: Int) throws -> Int {
            try check(x)
            // TODO(1.1): Multiply by two.
            throw ExerciseError.notImplemented("1.1", file: "Lessons/01-MDPs/Example.swift", hint: "Multiply by two.")
        }
        """
        #expect(try SkeletonGenerator.skeleton(of: source, lessonPath: path) == expected)
    }

    @Test("methods, initialisers and computed properties keep their indentation")
    func members() throws {
        let source = """
        public struct Agent {
            var q: [Double]
            public init(count: Int) throws {
                // BEGIN SOLUTION 3.1: Start every value at zero.
                q = Array(repeating: 0, count: count)
                // END SOLUTION
            }
            public var best: Int {
                get throws {
                    // BEGIN SOLUTION 3.2: Return the index of the largest value.
                    return q.indices.max { q[$0] < q[$1] }!
                    // END SOLUTION
                }
            }
            public mutating func update(_ i: Int) throws {
                // BEGIN SOLUTION 3.3: Add one.
                q[i] += 1
                // END SOLUTION
            }
        }
        """
        let skeleton = try SkeletonGenerator.skeleton(of: source, lessonPath: path)
        #expect(skeleton.contains("        // TODO(3.1): Start every value at zero.\n        throw ExerciseError.notImplemented(\"3.1\""))
        #expect(skeleton.contains("            // TODO(3.2): Return the index of the largest value.\n            throw ExerciseError.notImplemented(\"3.2\""))
        #expect(skeleton.contains("        // TODO(3.3): Add one.\n        throw ExerciseError.notImplemented(\"3.3\""))
        #expect(!skeleton.contains("q[i] += 1") && !skeleton.contains("repeating: 0"), "solution lines must not survive")
        #expect(skeleton.contains("public init(count: Int) throws {") && skeleton.contains("get throws {"))
    }

    @Test("a marker inside a nested closure")
    func closure() throws {
        let source = """
        public func scores(_ xs: [Int]) throws -> [Int] {
            try xs.map { x in
                // BEGIN SOLUTION 2.4: Square each entry.
                x * x
                // END SOLUTION
            }
        }
        """
        let skeleton = try SkeletonGenerator.skeleton(of: source, lessonPath: path)
        #expect(skeleton == """
        public func scores(_ xs: [Int]) throws -> [Int] {
            try xs.map { x in
                // TODO(2.4): Square each entry.
                throw ExerciseError.notImplemented("2.4", file: "Lessons/01-MDPs/Example.swift", hint: "Square each entry.")
            }
        }
        """)
    }

    @Test("quotes and backslashes in a hint are escaped")
    func escaping() throws {
        let source = "func f() throws {\n    // BEGIN SOLUTION 1.2: Use \"gamma\" and \\(x).\n    x()\n    // END SOLUTION\n}"
        let skeleton = try SkeletonGenerator.skeleton(of: source, lessonPath: path)
        #expect(skeleton.contains(#"hint: "Use \"gamma\" and \\(x).")"#))
    }

    @Test("several markers are found in order with their lines")
    func markers() throws {
        let source = "a\n// BEGIN SOLUTION 1.1: one\nx\n// END SOLUTION\nb\n  // BEGIN SOLUTION 1.2: two\n  y\n  // END SOLUTION\n"
        let markers = try SkeletonGenerator.markers(in: source, file: "F.swift")
        #expect(markers.map(\.exercise) == ["1.1", "1.2"])
        #expect(markers.map(\.beginLine) == [2, 6] && markers.map(\.endLine) == [4, 8])
        #expect(markers.map(\.hint) == ["one", "two"])
    }

    @Test("a marker left open is an error naming the file, line and exercise")
    func leftOpen() throws {
        let source = "func f() throws {\n    // BEGIN SOLUTION 1.1: hint\n    x()\n}\n"
        let error = try #require(throws: SkeletonGenerator.MarkerError.self) {
            try SkeletonGenerator.skeleton(of: source, lessonPath: path)
        }
        #expect(error.line == 2 && error.description.contains("never closed") && error.description.contains("1.1"))
    }

    @Test("a marker without an id, without a hint, or nested, and an END alone, are errors")
    func malformed() throws {
        let noId = try #require(throws: SkeletonGenerator.MarkerError.self) {
            try SkeletonGenerator.markers(in: "// BEGIN SOLUTION: hint\n// END SOLUTION", file: "F.swift")
        }
        #expect(noId.description.contains("no exercise id") || noId.description.contains("needs an exercise id"))
        let bare = try #require(throws: SkeletonGenerator.MarkerError.self) {
            try SkeletonGenerator.markers(in: "// BEGIN SOLUTION\n// END SOLUTION", file: "F.swift")
        }
        #expect(bare.description.contains("exercise id"))
        let noHint = try #require(throws: SkeletonGenerator.MarkerError.self) {
            try SkeletonGenerator.markers(in: "// BEGIN SOLUTION 1.1:\n// END SOLUTION", file: "F.swift")
        }
        #expect(noHint.description.contains("no hint"))
        let nested = try #require(throws: SkeletonGenerator.MarkerError.self) {
            try SkeletonGenerator.markers(in: "// BEGIN SOLUTION 1.1: a\n// BEGIN SOLUTION 1.2: b\n// END SOLUTION\n// END SOLUTION", file: "F.swift")
        }
        #expect(nested.line == 2 && nested.description.contains("inside the block of exercise 1.1"))
        let lone = try #require(throws: SkeletonGenerator.MarkerError.self) {
            try SkeletonGenerator.markers(in: "x\n// END SOLUTION", file: "F.swift")
        }
        #expect(lone.line == 2 && lone.description.contains("without a matching"))
    }

    @Test("a file without markers is copied unchanged")
    func unchanged() throws {
        let source = "import Foundation\n\npublic let x = 1\n"
        #expect(try SkeletonGenerator.skeleton(of: source, lessonPath: path) == source)
    }
}

@Suite("hint levels: the TODO carries the one-line task, Hints.md the levels")
struct HintLevelTests {
    let source = """
    public func twice(_ x: Double) throws -> Double {
        // BEGIN SOLUTION 1.1: double x (notes, section 2)
        return 2 * x
        // END SOLUTION
    }
    """

    let book = """
    # Hints

    Text for instructors before the first exercise.

    ## 1.1

    1. Think of what doubling means
       (notes, section 2).
    2. One multiplication.
    3. Return 2 * x.

    ## 1.2

    1. Another exercise.
    2. Its second level.
    """

    @Test func theTaskReachesTheSkeletonAndTheLevelsComeFromTheBook() throws {
        let markers = try SkeletonGenerator.markers(in: source, file: "Example.swift")
        #expect(markers.count == 1 && markers[0].hint == "double x (notes, section 2)")
        let skeleton = try SkeletonGenerator.skeleton(of: source, lessonPath: "Lessons/01-MDPs/Example.swift")
        #expect(skeleton.contains("// TODO(1.1): double x (notes, section 2)"))
        let levels = try HintBook.levels(in: book, file: "Hints.md")
        #expect(levels["1.1"] == ["Think of what doubling means (notes, section 2).", "One multiplication.", "Return 2 * x."])
        #expect(levels["1.2"] == ["Another exercise.", "Its second level."])
    }

    @Test func levelsMustCountUpFromOne() {
        let wrong = book.replacingOccurrences(of: "2. One multiplication.", with: "3. One multiplication.")
        #expect(throws: SkeletonGenerator.MarkerError.self) { _ = try HintBook.levels(in: wrong, file: "Hints.md") }
        let repeated = book + "\n## 1.1\n\n1. Again.\n"
        #expect(throws: SkeletonGenerator.MarkerError.self) { _ = try HintBook.levels(in: repeated, file: "Hints.md") }
    }

    @Test func hintLinesInASolutionAreRefused() throws {
        let old = source.replacingOccurrences(of: "    return 2 * x", with: "    // HINT 2: One multiplication.\n    return 2 * x")
        let error = try #require(throws: SkeletonGenerator.MarkerError.self) {
            _ = try SkeletonGenerator.markers(in: old, file: "Example.swift")
        }
        #expect(error.description.contains("Hints.md"))
    }
}
