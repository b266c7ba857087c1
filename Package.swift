// swift-tools-version:6.0
//
// The deep RL course: one package, one module per lesson.
//
// DEEPRL_IMPL picks which implementation of the lessons a build compiles:
//   DEEPRL_IMPL=lessons   (default) the student skeletons in Lessons/
//   DEEPRL_IMPL=solutions the reference solutions in Solutions/
// Use a separate build folder for each so that switching does not rebuild
// everything, for example:
//   swift test                                                     # grades Lessons/
//   DEEPRL_IMPL=solutions swift test --scratch-path .build-solutions  # checks the reference
import Foundation
import PackageDescription

let implementation = ProcessInfo.processInfo.environment["DEEPRL_IMPL"] ?? "lessons"
guard implementation == "lessons" || implementation == "solutions" else {
    fatalError("DEEPRL_IMPL must be 'lessons' or 'solutions', got '\(implementation)'")
}
let lessonRoot = implementation == "solutions" ? "Solutions" : "Lessons"
if !FileManager.default.fileExists(atPath: Context.packageDirectory + "/" + lessonRoot) {
    fatalError("DEEPRL_IMPL=\(implementation) needs the \(lessonRoot)/ folder, which this copy does not have (a student handout has Lessons/ only)")
}

/// The CPU features of this machine as /proc/cpuinfo lists them (x86-64 Linux
/// only; empty elsewhere, so that macOS, Intel or Apple silicon, and any arm64
/// build TensorCore's portable tier). DEEPRL_PORTABLE=1 pretends there are
/// none, for a binary that must run on any x86-64.
let cpuFlags: Set<String> = {
    #if arch(x86_64) && os(Linux)
    if ProcessInfo.processInfo.environment["DEEPRL_PORTABLE"] == "1" { return [] }
    guard let cpu = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return [] }
    return Set(cpu.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init))
    #else
    return []
    #endif
}()

/// True when this machine can run AVX2 and FMA code (any x86-64 CPU from 2013 on).
let wideSIMD = cpuFlags.contains("avx2") && cpuFlags.contains("fma")

/// True when it can also run AVX-512 code (F, CD, BW, DQ, VL: the
/// `skylake-avx512` set, which Intel since 2017 and AMD since Zen 4 have).
/// DEEPRL_NO_AVX512=1 keeps the AVX2 kernels (to test or time that path).
let avx512 = wideSIMD && ProcessInfo.processInfo.environment["DEEPRL_NO_AVX512"] != "1"
    && ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(cpuFlags.contains)

/// The numeric core and the environments are compiled with optimisation even in
/// debug builds, so that plain `swift test` runs the learning tests in seconds
/// (see docs/ARCHITECTURE.md, "Speed in debug builds").
let optimised: [SwiftSetting] = [.unsafeFlags(["-O"])]

/// The tensor core's flags: optimised, plus the widest kernels (Kernels*.swift)
/// that the build machine can run (docs/BENCHMARKS.md): 16-wide AVX-512, else
/// 8-wide AVX2/FMA, else the portable 4-wide SSE2 loops.
///
/// Its accesses to tensors' arrays skip Swift's run-time exclusivity checks
/// (`-enforce-exclusivity=unchecked`): each check is a call into the runtime
/// that took 4% of a PPO minibatch, and the core never lets two accesses to
/// one array overlap (the compile-time checks still apply).
///
/// `-Xcc -fno-math-errno` lets a square root compile to the CPU's square-root
/// instruction: otherwise the C shim behind `Float.squareRoot()` calls
/// `sqrtf` for negative inputs to set `errno` (which Swift never reads), and
/// that branch keeps `SIMD16.squareRoot()` in Adam's kernel one value at a
/// time. The results are the same, correctly rounded, values.
let tensorBaseFlags = ["-O", "-enforce-exclusivity=unchecked", "-Xcc", "-fno-math-errno"]
let tensorFlags: [SwiftSetting] = avx512
    ? [.unsafeFlags(tensorBaseFlags + ["-target-cpu", "skylake-avx512"]),
       .define("TENSORCORE_WIDE_SIMD"), .define("TENSORCORE_AVX512")]
    : wideSIMD
    ? [.unsafeFlags(tensorBaseFlags + ["-target-cpu", "haswell"]), .define("TENSORCORE_WIDE_SIMD")]
    : [.unsafeFlags(tensorBaseFlags)]

/// A lesson of the course: its module name, its folder under Lessons/ and
/// Solutions/, and whether it builds on the shared RL module (the deep
/// lessons, 04 onward; the tabular lessons 01-03 do not, so that the shared
/// versions of their ideas, such as epsilon-greedy, stay out of their reach;
/// nor does lesson 00, the autodiff warm-up, which needs no RL at all).
struct Lesson {
    var module: String
    var directory: String
    var usesRLKit: Bool
}

/// The lessons of the course, in order.
let lessons: [Lesson] = [
    Lesson(module: "Autodiff", directory: "00-Autodiff", usesRLKit: false),
    Lesson(module: "MDPs", directory: "01-MDPs", usesRLKit: false),
    Lesson(module: "ValueIteration", directory: "02-ValueIteration", usesRLKit: false),
    Lesson(module: "MonteCarloTD", directory: "03-MonteCarloTD", usesRLKit: false),
    Lesson(module: "DQN", directory: "04-DQN", usesRLKit: true),
    Lesson(module: "PolicyGradient", directory: "05-PolicyGradient", usesRLKit: true),
    Lesson(module: "ImportanceSampling", directory: "06-ImportanceSampling", usesRLKit: false),
    Lesson(module: "PPO", directory: "07-PPO", usesRLKit: true),
    Lesson(module: "SAC", directory: "08-SAC", usesRLKit: true),
    Lesson(module: "Imitation", directory: "09-Imitation", usesRLKit: true),
    Lesson(module: "Hindsight", directory: "10-Hindsight", usesRLKit: true),
]

/// The modules every lesson and its tests build on.
func lessonDependencies(_ lesson: Lesson) -> [Target.Dependency] {
    ["TensorCore", "Environments", "CourseKit"] + (lesson.usesRLKit ? ["RLKit"] : [])
}

// The target list is built in steps (one statement each) rather than as one
// literal: a long array literal of mixed target kinds is at the type
// checker's limit, and every lesson adds two targets.
var targets: [Target] = []

// The shared modules, bottom up (docs/ARCHITECTURE.md, "Dependency direction").
targets.append(.target(name: "Diagnostics", swiftSettings: optimised))
targets.append(.target(name: "TensorCore", dependencies: ["Diagnostics"], swiftSettings: tensorFlags))
targets.append(.target(name: "Environments", dependencies: ["Diagnostics", "TensorCore"], swiftSettings: optimised))
targets.append(.target(name: "CourseKit", dependencies: ["Diagnostics"]))
targets.append(.target(name: "RLKit", dependencies: ["Diagnostics", "TensorCore", "Environments", "CourseKit"],
                       swiftSettings: optimised))
targets.append(.target(name: "CourseTool", dependencies: ["CourseKit"]))

// One module per lesson, compiled from Lessons/ or Solutions/.
for lesson in lessons {
    targets.append(.target(
        name: lesson.module,
        dependencies: lessonDependencies(lesson),
        path: "\(lessonRoot)/\(lesson.directory)",
        // A lesson's README lives in Lessons/; its mistake catalogue (Solutions/<lesson>/Mistakes/) and
        // its hint levels (Solutions/<lesson>/Hints.md) live beside the reference (never compiled; every
        // lesson has both, so the exclusion does not depend on the file system, which SwiftPM's manifest
        // cache would not notice).
        exclude: lessonRoot == "Lessons" ? ["README.md"] : ["Mistakes", "Hints.md"],
        swiftSettings: optimised
    ))
}

// The demos, the benchmarks and the course tool.
var demoDependencies: [Target.Dependency] = ["TensorCore", "Environments", "CourseKit", "RLKit"]
for lesson in lessons { demoDependencies.append(.target(name: lesson.module)) }
targets.append(.target(
    name: "Demos",
    dependencies: demoDependencies,
    swiftSettings: implementation == "solutions" ? [.define("DEEPRL_SOLUTIONS")] : []
))
// Counts heap allocations per thread (C, glibc only) for the allocation figures of `deeprl bench`
// and Tests/BenchmarksTests: it stands in front of malloc for the whole executable that links it.
targets.append(.target(name: "AllocationCounter"))
targets.append(.target(name: "Benchmarks", dependencies: ["TensorCore", "Environments", "RLKit", "AllocationCounter"],
                       swiftSettings: tensorFlags))
targets.append(.executableTarget(name: "deeprl", dependencies: ["CourseTool", "CourseKit", "Demos", "Benchmarks"]))

// Tests of the shared modules and the tool.
targets.append(.testTarget(name: "TensorCoreTests", dependencies: ["TensorCore"]))
targets.append(.testTarget(name: "EnvironmentsTests", dependencies: ["Environments", "TensorCore"]))
targets.append(.testTarget(name: "CourseKitTests", dependencies: ["CourseKit"]))
targets.append(.testTarget(name: "RLKitTests", dependencies: ["RLKit", "TensorCore", "Environments", "CourseKit"]))
targets.append(.testTarget(name: "CourseToolTests", dependencies: ["CourseTool", "CourseKit"]))
targets.append(.testTarget(name: "BenchmarksTests", dependencies: ["Benchmarks", "TensorCore"]))

// The grading tests of each lesson.
for lesson in lessons {
    targets.append(.testTarget(
        name: "\(lesson.module)Tests",
        dependencies: [.target(name: lesson.module)] + lessonDependencies(lesson)
    ))
}

// macOS 15 is the first to have the Synchronization module's Mutex and Atomic (TensorCore's buffer pool,
// the autodiff engine, the product profile, the watch mode); Linux needs no such line.
let package = Package(
    name: "DeepRLCourse",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "deeprl", targets: ["deeprl"]),
    ],
    targets: targets
)
