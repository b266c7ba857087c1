import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C library and operating-system calls of TensorCore: the only file of
/// the module that imports Glibc or Darwin (docs/ARCHITECTURE.md,
/// "Platforms").
enum Platform {
    /// The value of the environment variable `name`, or nil (`getenv`).
    static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The calling thread's identity, never 0: `pthread_self()`, an integer
    /// on Glibc and a pointer on Darwin.
    @inline(__always)
    static func currentThread() -> UInt {
        #if canImport(Glibc)
        return UInt(pthread_self())
        #elseif canImport(Darwin)
        return UInt(bitPattern: pthread_self())
        #endif
    }

    /// The processors this process may run on: the CPUs of its affinity
    /// mask on Linux (`Cpus_allowed` in /proc/self/status: `taskset`, a
    /// container's cpuset; Swift's Glibc module does not export
    /// `sched_getaffinity`), else the active processor count.
    static func availableProcessors() -> Int {
        let active = ProcessInfo.processInfo.activeProcessorCount
        #if os(Linux)
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") }) else { return active }
        // A hexadecimal mask in groups of 8 digits separated by commas, e.g. "ff,ffffffff".
        let allowed = line.dropFirst("Cpus_allowed:".count).filter(\.isHexDigit)
            .reduce(0) { $0 + (Int(String($1), radix: 16) ?? 0).nonzeroBitCount }
        return allowed > 0 ? min(allowed, active) : active
        #else
        return active
        #endif
    }

    /// Gives the processor to another ready thread (`sched_yield`); a waiting
    /// caller of the worker pool calls it so that a spin never holds a core a
    /// descheduled worker needs.
    static func yieldThread() {
        sched_yield()
    }

    /// A monotonic clock in nanoseconds: `clock_gettime(CLOCK_MONOTONIC)` on
    /// Linux, `clock_gettime_nsec_np(CLOCK_UPTIME_RAW)` on Darwin.
    static func monotonicNanoseconds() -> UInt64 {
        #if canImport(Glibc)
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
        #elseif canImport(Darwin)
        return clock_gettime_nsec_np(CLOCK_UPTIME_RAW)
        #endif
    }

    /// Raises glibc's trim and mmap thresholds (64 MB of free heap kept,
    /// `mmap` only from 16 MB) so that the arrays a training step frees are
    /// reused instead of being returned to the system (`Kernels.allocatorTuned`);
    /// true when both settings took.
    ///
    /// - Linux with glibc: `mallopt(M_TRIM_THRESHOLD, ...)` and
    ///   `mallopt(M_MMAP_THRESHOLD, ...)`. Swift's Glibc module does not
    ///   include `<malloc.h>`, so `mallopt` is found with
    ///   `dlsym(RTLD_DEFAULT, "mallopt")` (`RTLD_DEFAULT` is the null handle
    ///   in glibc) and the two option numbers are `<malloc.h>`'s, -1 and -3.
    /// - Elsewhere (Darwin's allocator keeps freed memory on its own): nothing
    ///   is changed, and the answer is false.
    static func tuneAllocator() -> Bool {
        #if os(Linux) && canImport(Glibc)
        typealias MallocOption = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return false }
        let mallopt = unsafeBitCast(symbol, to: MallocOption.self)
        let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3  // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD in <malloc.h>
        return mallopt(trimThreshold, 64 << 20) == 1 && mallopt(mmapThreshold, 16 << 20) == 1
        #else
        return false
        #endif
    }
}
