import Foundation

/// Which catalogued mistake a build of the mistake catalogue runs
/// (`deeprl mistakes`): the key "<exercise>/<name>" from the environment
/// variable DEEPRL_MISTAKE, or "" for the reference. Only the catalogue's
/// spliced copy of the course reads it; lessons never do.
public enum CourseMistakes {
    /// The active entry's key, read once.
    public static let active: String = ProcessInfo.processInfo.environment["DEEPRL_MISTAKE"] ?? ""
}
