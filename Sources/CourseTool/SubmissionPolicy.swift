import CourseKit
import Foundation

/// What the grader refuses in a lesson's code, with a report line and 0
/// points for that lesson (docs/INSTRUCTORS.md, "What the grader protects
/// against"). The list is short on purpose: nothing an exercise needs, and
/// no reference solution trips it (a test checks that).
///
/// - imports of the testing libraries and of the C library (`Testing`,
///   `XCTest`, `Glibc`, `Darwin`, `Musl`): test results and processes are
///   not the lessons' business;
/// - linker-level attributes (`@_silgen_name`, `@_cdecl`, `@_section`,
///   `@_used`, `@_dynamicReplacement`, `@_extern`, `@_weakLinked`): they can
///   replace the testing library's own functions at link time;
/// - process, signal, file-descriptor and environment APIs (`Process`,
///   `ProcessInfo`, `CommandLine`, `FileHandle`, `FileManager`, `exit`,
///   `kill`, `signal`, `fork`, `execv`, `getenv`, ...): ending the test
///   process early, or learning that it is being graded;
/// - declarations that the tests' own names could resolve to: operator
///   functions (`==`, `<`, ...), functions or types named like the standard
///   and testing library names the tests use (`abs`, `min`, `max`, `zip`,
///   `Issue`, `Test`, `Suite`, ...), and extensions of the standard
///   library's types (`extension Array`, `extension Double`, ...);
/// - the names the catalog reserves for a lesson (`LessonInfo.forbiddenNames`:
///   the course's shared versions of ideas the lesson teaches).
public enum SubmissionPolicy {
    static let refusedImports: Set<String> = ["Testing", "XCTest", "Glibc", "Darwin", "Musl", "SwiftGlibc", "WinSDK", "ucrt"]
    static let refusedAttributes: Set<String> = ["@_silgen_name", "@_cdecl", "@_section", "@_used", "@_dynamicReplacement",
                                                 "@_extern", "@_weakLinked", "@_linkage"]
    static let refusedIdentifiers: Set<String> = ["Process", "ProcessInfo", "CommandLine", "FileHandle", "FileManager",
                                                  "exit", "_exit", "abort", "kill", "killpg", "signal", "sigaction", "raise",
                                                  "fork", "vfork", "execv", "execve", "execvp", "posix_spawn", "popen",
                                                  "dup", "dup2", "getenv", "setenv", "unsetenv", "atexit", "dlopen", "dlsym"]
    static let shadowingNames: Set<String> = ["abs", "min", "max", "zip", "print", "stride", "sqrt", "pow", "exp", "log",
                                              "Issue", "Test", "Suite", "Trait", "Comment", "SourceLocation", "Bool", "Int",
                                              "Double", "Float", "String", "Array", "Optional", "Equatable", "Comparable",
                                              "ExerciseError", "InvalidArgument", "Tensor", "SeededGenerator"]
    static let standardTypes: Set<String> = ["Array", "ContiguousArray", "ArraySlice", "Dictionary", "Set", "Optional", "String",
                                             "Substring", "Character", "Bool", "Int", "Int32", "Int64", "UInt", "UInt32", "UInt64",
                                             "Double", "Float", "Sequence", "Collection", "BidirectionalCollection",
                                             "RandomAccessCollection", "Equatable", "Comparable", "Hashable", "Numeric",
                                             "BinaryInteger", "FloatingPoint", "BinaryFloatingPoint", "SignedNumeric",
                                             "StringProtocol", "Range", "ClosedRange", "SIMD", "Error"]

    /// Every reason to refuse `source` (a lesson file), or none.
    public static func violations(in source: String, file: String, forbiddenNames: [String] = []) -> [String] {
        let code = SourceScan.code(of: source)
        let names = SourceScan.identifiers(in: source)
        var reasons: [String] = []
        for line in code.split(separator: "\n") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ";" })
            for (i, word) in words.enumerated() {
                if word == "import", i + 1 < words.count {
                    let module = words[i + 1].split(separator: ".").first.map(String.init) ?? ""
                    let target = ["struct", "class", "enum", "func", "var", "let", "typealias", "protocol"].contains(module) && i + 2 < words.count
                        ? String(words[i + 2]).split(separator: ".").first.map(String.init) ?? "" : module
                    if refusedImports.contains(target) { reasons.append("\(file) imports \(target), which no exercise needs (the grader refuses the testing and C libraries)") }
                }
                if word == "extension", i + 1 < words.count {
                    let type = String(words[i + 1].prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." })
                    let base = type.hasPrefix("Swift.") ? String(type.dropFirst(6)) : type
                    if standardTypes.contains(base) { reasons.append("\(file) extends the standard library's \(base), which the tests use: declare your helpers as plain functions instead") }
                }
                if word == "func", i + 1 < words.count {
                    let name = String(words[i + 1].prefix { !"(<".contains($0) })
                    if let first = name.unicodeScalars.first, !(first.properties.isAlphabetic || first == "_" || first == "`") {
                        reasons.append("\(file) declares the operator \(name): the tests' comparisons and arithmetic must mean what they say")
                    } else if shadowingNames.contains(name.trimmingCharacters(in: CharacterSet(charactersIn: "`"))) {
                        reasons.append("\(file) declares a function named \(name), a name the tests use: rename it")
                    }
                }
                if ["struct", "class", "enum", "typealias", "protocol", "actor"].contains(word), i + 1 < words.count {
                    let name = String(words[i + 1].prefix { $0.isLetter || $0.isNumber || $0 == "_" })
                    if shadowingNames.contains(name) { reasons.append("\(file) declares a type named \(name), a name the tests use: rename it") }
                }
            }
        }
        for attribute in refusedAttributes.sorted() where names.contains(attribute) {
            reasons.append("\(file) uses \(attribute), a linker-level attribute the grader refuses")
        }
        for name in refusedIdentifiers.sorted() where names.contains(name) {
            reasons.append("\(file) uses \(name), a process, signal, file or environment API that no exercise needs")
        }
        for name in forbiddenNames where names.contains(name) {
            reasons.append("\(file) uses \(name), the course's shared version of an idea this lesson asks you to write yourself")
        }
        var seen = Set<String>()
        return reasons.filter { seen.insert($0).inserted }
    }
}
