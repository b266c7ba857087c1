#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C library and operating-system calls of Diagnostics: the only file of
/// the module that imports Glibc or Darwin (docs/ARCHITECTURE.md,
/// "Platforms"). The module does not import Foundation.
enum Platform {
    /// The value of the environment variable `name`, or nil (`getenv`).
    static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// Writes `message` to standard error (`write` on descriptor 2) and ends
    /// the process with `status` (`exit`): one line, no backtrace.
    static func exit(printing message: String, status: Int32) -> Never {
        _ = message.withCString { write(2, $0, strlen($0)) }
        #if canImport(Glibc)
        Glibc.exit(status)
        #elseif canImport(Darwin)
        Darwin.exit(status)
        #endif
    }

    /// The CPU's feature flags as Linux's /proc/cpuinfo spells them ("avx",
    /// "avx2", "fma", "bmi2", "avx512f"), or nil where they cannot be read.
    ///
    /// - Linux: the first "flags" line of /proc/cpuinfo (`fopen`, `getline`).
    /// - macOS on Intel: `sysctlbyname("machdep.cpu.features")` and
    ///   `sysctlbyname("machdep.cpu.leaf7_features")`, lowercased, with
    ///   Darwin's "avx1.0", "sse4.1" and "sse4.2" renamed "avx", "sse4_1" and
    ///   "sse4_2".
    /// - Apple silicon (and any other system): nil. No x86 flag applies, and
    ///   `Package.swift` compiles TensorCore's portable tier there, which
    ///   needs none.
    static func cpuFlags() -> Set<String>? {
        #if os(Linux)
        guard let file = fopen("/proc/cpuinfo", "r") else { return nil }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let text = line.map({ String(cString: $0) }) {
            if text.hasPrefix("flags") {
                return Set(text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == ":" }).map(String.init))
            }
        }
        return nil
        #elseif canImport(Darwin) && arch(x86_64)
        guard let features = sysctlString("machdep.cpu.features") else { return nil }
        let words = (features + " " + (sysctlString("machdep.cpu.leaf7_features") ?? "")).split(separator: " ")
        let renamed = ["avx1.0": "avx", "sse4.1": "sse4_1", "sse4.2": "sse4_2"]
        return Set(words.map { word in renamed[word.lowercased()] ?? word.lowercased() })
        #else
        return nil
        #endif
    }

    #if canImport(Darwin)
    /// The string value of a sysctl, by name (`sysctlbyname`: once for the
    /// size, once for the bytes), or nil.
    private static func sysctlString(_ name: String) -> String? {
        var size = 0
        guard sysctlbyname(name, nil, &size, nil, 0) == 0, size > 0 else { return nil }
        var bytes = [CChar](repeating: 0, count: size + 1)
        guard sysctlbyname(name, &bytes, &size, nil, 0) == 0 else { return nil }
        return bytes.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
    #endif
}
