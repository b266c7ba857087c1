/// The start-up check that a binary compiled for a wide SIMD tier runs on a
/// CPU that has it.
///
/// `Package.swift` compiles TensorCore for the widest instructions of the
/// *build* machine (AVX-512 or AVX2). An autograder image built on one
/// machine and run on another would otherwise stop at the first such
/// instruction with "Illegal instruction" (SIGILL) and nothing else. This
/// module is compiled without those instructions, so it can look first.
public enum CPUSupport {
    /// The CPU feature flags as Linux lists them in /proc/cpuinfo ("avx2",
    /// "avx512f", ...), or nil where they cannot be read (on macOS from
    /// `sysctlbyname` on Intel, nil on Apple silicon: `Platform.cpuFlags`).
    /// The environment variable DEEPRL_PRETEND_CPU_FLAGS (space-separated
    /// flags) replaces the real list, so tests can play an older CPU.
    public static func flags() -> Set<String>? {
        if let pretend = Platform.environment("DEEPRL_PRETEND_CPU_FLAGS") {
            return Set(pretend.split(separator: " ").map(String.init))
        }
        return Platform.cpuFlags()
    }

    /// The flags of `required` this CPU lacks (none when the CPU's flags are
    /// unknown: then nothing can be said, and nothing is refused).
    public static func missing(_ required: [String]) -> [String] {
        guard let available = flags() else { return [] }
        return required.filter { !available.contains($0) }
    }

    /// Stops the program with one line on standard error (exit status 1) if
    /// the CPU lacks a flag of `required`.
    ///
    /// - Parameter tier: what the build was compiled for, e.g. "AVX-512".
    public static func require(_ required: [String], tier: String) {
        let lacking = missing(required)
        guard !lacking.isEmpty else { return }
        let message = "TensorCore was compiled for \(tier) on the build machine, but this CPU lacks \(lacking.joined(separator: ", ")): "
            + "rebuild here, or build a portable binary with DEEPRL_PORTABLE=1 (see docs/INSTRUCTORS.md)\n"
        Platform.exit(printing: message, status: 1)
    }
}
