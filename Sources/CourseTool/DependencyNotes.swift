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
                let named = culprits.map { id in "\(id) \(Course.exercise(id)?.exercise.symbol ?? "")" }.joined(separator: " and ")
                let note = "\(grade.id) calls \(named), which fail\(culprits.count == 1 ? "s" : "") its own tests: fix \(culprits.joined(separator: " and ")) first"
                lessons[l].exercises[e].failures.insert(note, at: 0)
            }
        }
    }
}
