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
    try createFolder(url.deletingLastPathComponent(), for: path)
    do {
        try data.write(to: url, options: .atomic)
    } catch {
        throw FileWriteError(path: path, reason: fileSystemReason(error))
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

/// Checks, before a long run whose result goes to `path`, that the file can
/// be written then: `path` is not a folder, and its folder exists (it is
/// created if missing) and takes a new file (one is created there and
/// removed). Writing can still fail later, on a full disk.
///
/// - Throws: `FileWriteError` naming the path and what is wrong.
public func checkFileCanBeWritten(_ path: String) throws {
    let url = URL(fileURLWithPath: path)
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
        throw FileWriteError(path: path, reason: "it is a folder; give a file name")
    }
    let folder = url.deletingLastPathComponent()
    try createFolder(folder, for: path)
    let probe = folder.appendingPathComponent(".deeprl-write-check-\(ProcessInfo.processInfo.processIdentifier)")
    do {
        try Data().write(to: probe)
        try? FileManager.default.removeItem(at: probe)
    } catch {
        throw FileWriteError(path: path, reason: "its folder \(folder.path) does not take new files (\(fileSystemReason(error)))")
    }
}

/// Creates `folder` (and the folders above it) for the file `path`; when
/// that fails because a file stands where a folder must be, says which.
func createFolder(_ folder: URL, for path: String) throws {
    do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
        var ancestor = folder
        var isFolder: ObjCBool = false
        while ancestor.path != "/" && !FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isFolder) {
            ancestor = ancestor.deletingLastPathComponent()
        }
        if ancestor.path != "/" && !isFolder.boolValue {
            throw FileWriteError(path: path, reason: "\(ancestor.path) is a file, not a folder")
        }
        throw FileWriteError(path: path, reason: fileSystemReason(error))
    }
}

/// What a file-system error says went wrong, in one line ("No such file or
/// directory"): the cause the error wraps if any, without the sentence
/// Foundation opens every description with, and not the dump of the
/// error's fields that interpolating it prints.
public func fileSystemReason(_ error: Error) -> String {
    let shown: Error
    if let cocoa = error as? CocoaError {
        shown = cocoa.underlying ?? cocoa
    } else if (error as NSError).domain == NSPOSIXErrorDomain {
        shown = error
    } else {
        return "\(error)"  // not the file system's: its own description
    }
    let reason = (shown as NSError).localizedDescription
    // "The operation could not be completed. " (Linux), "The operation couldn’t be completed. " (macOS).
    if reason.hasPrefix("The operation could"), let end = reason.range(of: ". "), end.upperBound < reason.endIndex {
        return String(reason[end.upperBound...])
    }
    return reason
}
