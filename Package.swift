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
/// only; empty elsewhere). DEEPRL_PORTABLE=1 pretends there are none, for a
/// binary that must run on any x86-64.
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

/// The tensor core's flags: optimised, plus the widest kernels of Kernels.swift
/// that the build machine can run (docs/BENCHMARKS.md): 16-wide AVX-512, else
/// 8-wide AVX2/FMA, else the portable 4-wide SSE2 loops.
let tensorFlags: [SwiftSetting] = avx512
    ? [.unsafeFlags(["-O", "-target-cpu", "skylake-avx512"]), .define("TENSORCORE_WIDE_SIMD"), .define("TENSORCORE_AVX512")]
    : wideSIMD
    ? [.unsafeFlags(["-O", "-target-cpu", "haswell"]), .define("TENSORCORE_WIDE_SIMD")]
    : optimised

/// One lesson module: its sources live in Lessons/<dir> or Solutions/<dir>.
func lesson(_ name: String, _ directory: String) -> Target {
    .target(
        name: name,
        dependencies: ["TensorCore", "Environments", "CourseKit"],
        path: "\(lessonRoot)/\(directory)",
        exclude: lessonRoot == "Lessons" ? ["README.md"] : [],
        swiftSettings: optimised
    )
}

/// The lessons of the course, in order: (module name, folder name).
let lessons: [(String, String)] = [
    ("MDPs", "01-MDPs"),
    ("ValueIteration", "02-ValueIteration"),
    ("TemporalDifference", "03-MonteCarloTD"),
]

let package = Package(
    name: "DeepRLCourse",
    products: [
        .executable(name: "deeprl", targets: ["deeprl"]),
    ],
    targets: [
        .target(name: "TensorCore", swiftSettings: tensorFlags),
        .target(name: "Environments", dependencies: ["TensorCore"], swiftSettings: optimised),
        .target(name: "CourseKit", dependencies: ["TensorCore", "Environments"]),
        .target(name: "CourseTool", dependencies: ["CourseKit"]),
        .target(
            name: "Demos",
            dependencies: ["TensorCore", "Environments", "CourseKit"] + lessons.map { .target(name: $0.0) },
            swiftSettings: implementation == "solutions" ? [.define("DEEPRL_SOLUTIONS")] : []
        ),
        .target(name: "Benchmarks", dependencies: ["TensorCore", "Environments"], swiftSettings: tensorFlags),
        .executableTarget(
            name: "deeprl",
            dependencies: ["CourseTool", "CourseKit", "Demos", "Benchmarks"]
        ),
        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore"]),
        .testTarget(name: "EnvironmentsTests", dependencies: ["Environments", "TensorCore"]),
        .testTarget(name: "CourseKitTests", dependencies: ["CourseKit"]),
        .testTarget(name: "CourseToolTests", dependencies: ["CourseTool", "CourseKit"]),
    ] + lessons.map { lesson($0.0, $0.1) } + lessons.map {
        .testTarget(name: "\($0.0)Tests", dependencies: [.target(name: $0.0), "TensorCore", "Environments", "CourseKit"])
    }
)
