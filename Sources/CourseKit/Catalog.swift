/// One graded exercise: where it lives, what it is worth, which tests grade it.
public struct ExerciseInfo: Sendable, Equatable {
    /// The id, "<lesson number>.<exercise number>", for example "1.3".
    public var id: String
    /// The file to edit, relative to the lesson folder.
    public var file: String
    /// The public function, type member or type the exercise implements.
    public var symbol: String
    /// The points it is worth; a lesson's exercises sum to 100.
    public var points: Int
    /// The Swift Testing suite (a struct in the lesson's test target) whose
    /// tests grade this exercise. The exercise earns its points when every
    /// test of the suite passes.
    public var suite: String
    /// A one-line goal.
    public var goal: String
    /// The exercises of the same lesson whose functions this one (or its
    /// tests) call: when one of them fails too, the report says to fix it first.
    public var uses: [String]

    /// Creates an exercise entry.
    public init(id: String, file: String, symbol: String, points: Int, suite: String, goal: String, uses: [String] = []) {
        self.id = id
        self.file = file
        self.symbol = symbol
        self.points = points
        self.suite = suite
        self.goal = goal
        self.uses = uses
    }
}

/// One lesson: a module with exercises, tests and a demo.
public struct LessonInfo: Sendable, Equatable {
    /// The two-digit number, for example "01".
    public var id: String
    /// The title, for example "MDPs".
    public var name: String
    /// The folder under `Lessons/` and `Solutions/`, for example "01-MDPs".
    public var directory: String
    /// The Swift module, for example "MDPs"; its tests are in `<module>Tests`.
    public var module: String
    /// The name `deeprl demo` knows the lesson's demo by.
    public var demo: String
    /// The graded exercises, in the order a student should do them.
    public var exercises: [ExerciseInfo]
    /// Names of the course's shared modules that this lesson's code must not
    /// use, because they are the shared versions of ideas the lesson teaches
    /// (docs/ARCHITECTURE.md, "Shared versions of taught ideas"). The grader
    /// refuses lesson files that name one, outside comments and strings.
    public var forbiddenNames: [String]

    /// Creates a lesson entry.
    public init(id: String, name: String, directory: String, module: String, demo: String, exercises: [ExerciseInfo],
                forbiddenNames: [String] = []) {
        self.id = id
        self.name = name
        self.directory = directory
        self.module = module
        self.demo = demo
        self.exercises = exercises
        self.forbiddenNames = forbiddenNames
    }

    /// The test target of the lesson.
    public var testModule: String { module + "Tests" }

    /// The sum of the lesson's points (100 for every lesson).
    public var maxScore: Int { exercises.reduce(0) { $0 + $1.points } }
}

/// The course: every lesson with its exercises and points, declared once.
///
/// The grader, `deeprl progress` and `deeprl hint` read this table; it lives
/// outside `Lessons/`, so a submission cannot change it.
public enum Course {
    /// All lessons, in order.
    public static let lessons: [LessonInfo] = [
        .autodiff,
        .mdps,
        .valueIteration,
        .monteCarloTD,
        .dqn,
        .policyGradient,
        .importanceSampling,
        .ppo,
        .sac,
        .imitation,
        .hindsight,
    ]

    /// The lesson with the given id ("01"), number ("1"), module, folder or
    /// demo name, if any.
    public static func lesson(named key: String) -> LessonInfo? {
        let lowered = key.lowercased()
        return lessons.first {
            $0.id == key || String(Int($0.id) ?? -1) == key || $0.module.lowercased() == lowered
                || $0.directory.lowercased() == lowered || $0.demo == lowered
        }
    }

    /// Every exercise id in course order, comma-separated, for messages that
    /// name an id the course does not have.
    public static var exerciseIDList: String {
        lessons.flatMap { $0.exercises.map(\.id) }.joined(separator: ", ")
    }

    /// The exercise with the given id, with its lesson.
    public static func exercise(_ id: String) -> (lesson: LessonInfo, exercise: ExerciseInfo)? {
        for lesson in lessons {
            if let exercise = lesson.exercises.first(where: { $0.id == id }) {
                return (lesson, exercise)
            }
        }
        return nil
    }
}
