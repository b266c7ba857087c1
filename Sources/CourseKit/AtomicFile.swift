import Foundation

/// Writes `text` to `path` atomically: the bytes go to a temporary file in the
/// same folder, which is then renamed over the destination, so a reader never
/// sees a half-written file and a crash never leaves one behind.
///
/// Missing parent folders are created.
///
/// - Throws: the underlying file-system error, with the path in its message.
public func writeFileAtomically(_ text: String, to path: String) throws {
    try writeFileAtomically(Data(text.utf8), to: path)
}

/// Writes `data` to `path` atomically (temporary file, then rename).
public func writeFileAtomically(_ data: Data, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent()
    do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try data.write(to: url, options: .atomic)
    } catch {
        throw FileWriteError(path: path, reason: "\(error.localizedDescription)")
    }
}

/// A file could not be written.
public struct FileWriteError: Error, CustomStringConvertible {
    /// The destination.
    public var path: String
    /// What the file system said.
    public var reason: String
    public var description: String { "could not write \(path): \(reason)" }
}
