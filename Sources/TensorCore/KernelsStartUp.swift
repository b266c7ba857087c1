/// What this build of TensorCore needs of the CPU, checked once before the
/// first tensor exists (`Kernels.startUp`), so that a binary moved to an
/// older machine stops with a sentence instead of "Illegal instruction".
extension Kernels {
    /// The /proc/cpuinfo flags the compiled tier uses (`-target-cpu
    /// skylake-avx512` or `haswell`, as `Package.swift` picks them).
    static var requiredCPUFeatures: (flags: [String], tier: String) {
        #if TENSORCORE_AVX512
        return (["avx", "avx2", "fma", "bmi2", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"], "AVX-512 (-target-cpu skylake-avx512)")
        #elseif TENSORCORE_WIDE_SIMD
        return (["avx", "avx2", "fma", "bmi2"], "AVX2 (-target-cpu haswell)")
        #elseif arch(x86_64)
        return ([], "baseline x86-64")
        #else
        return ([], "the portable tier")
        #endif
    }

    /// Runs once per process, on the first tensor: the CPU check, then the
    /// allocator setting (`KernelsAllocator.swift`).
    static let startUp: Bool = {
        let (flags, tier) = requiredCPUFeatures
        CPUSupport.require(flags, tier: tier)
        return allocatorTuned
    }()
}

/// Checks now (instead of on the first tensor) that this CPU can run the
/// instructions TensorCore was compiled for; stops with one line if not.
/// The course tool calls it first thing.
public func checkCPUSupport() {
    _ = Kernels.startUp
}

/// The kernel tier this build compiled and its register block, for
/// `deeprl bench`: for example "AVX-512 (-target-cpu skylake-avx512), 8 x 32 blocks".
public var kernelTierDescription: String {
    #if TENSORCORE_AVX512
    let block = "8 x 32"
    #elseif TENSORCORE_WIDE_SIMD
    let block = "6 x 16"
    #else
    let block = "4 x 8"
    #endif
    return "\(Kernels.requiredCPUFeatures.tier), \(block) blocks"
}
