#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C library calls of CourseKit: the only file of the module that
/// imports Glibc or Darwin (docs/ARCHITECTURE.md, "Platforms").
enum Platform {
    /// True when standard output is a terminal (`isatty(STDOUT_FILENO)`).
    static var standardOutputIsTerminal: Bool { isatty(STDOUT_FILENO) != 0 }

    /// Writes out everything buffered for the C streams, standard output
    /// included (`fflush(NULL)`), so a line redrawn in place shows at once.
    static func flushOutput() { fflush(nil) }
}
