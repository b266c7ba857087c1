import CourseKit

extension GradeReport {
    /// Puts a note first in the failures of every exercise that failed while
    /// an exercise it calls (`ExerciseInfo.uses`) also failed: "3.5 calls 3.4
    /// epsilonGreedy(...), which fails its own tests: fix 3.4 first". The
    /// student then knows where the fault lies.
    public mutating func noteDependencies() {
        let failing = Set(lessons.flatMap(\.exercises).filter { $0.status != .passed }.map(\.id))
        for l in lessons.indices {
            for e in lessons[l].exercises.indices {
                let grade = lessons[l].exercises[e]
                guard grade.status != .passed, let info = Course.exercise(grade.id)?.exercise else { continue }
                let culprits = info.uses.filter { failing.contains($0) }
                guard !culprits.isEmpty else { continue }
                let note: String
                if culprits.count == 1 {
                    note = "\(grade.id) calls \(culprits[0]) \(Course.exercise(culprits[0])?.exercise.symbol ?? ""), which fails its own tests: fix \(culprits[0]) first"
                } else {
                    let list = culprits.dropLast().joined(separator: ", ") + " and " + culprits.last!
                    note = "\(grade.id) calls \(list), which fail their own tests: fix them first"
                }
                lessons[l].exercises[e].failures.insert(note, at: 0)
            }
        }
    }
}
