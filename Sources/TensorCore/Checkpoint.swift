import Foundation

/// Why a checkpoint could not be read or does not fit the module.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    /// The file does not start with the checkpoint magic bytes.
    case notACheckpoint(path: String)
    /// The format version is not one this code reads.
    case unsupportedVersion(found: UInt32, expected: UInt32)
    /// The file is shorter (or longer) than its header says.
    case truncated(expectedBytes: Int, foundBytes: Int)
    /// The stored checksum does not match the contents (the file is corrupt).
    case checksumMismatch(stored: UInt64, computed: UInt64)
    /// The checkpoint holds a different number of parameters than the module.
    case parameterCountMismatch(expected: Int, found: Int)
    /// A parameter's name or shape differs from the module's.
    case parameterMismatch(index: Int, expectedName: String, expectedShape: [Int], foundName: String, foundShape: [Int])
    /// The contents are inconsistent in another way.
    case malformed(String)
    /// Reading or writing the file failed.
    case io(String)

    public var description: String {
        switch self {
        case .notACheckpoint(let path):
            return "checkpoint: \(path) is not a TensorCore checkpoint (bad magic bytes)"
        case .unsupportedVersion(let found, let expected):
            return "checkpoint: format version \(found) is not supported, expected \(expected)"
        case .truncated(let expected, let found):
            return "checkpoint: truncated file: header says \(expected) bytes, found \(found)"
        case .checksumMismatch(let stored, let computed):
            return "checkpoint: corrupt file: stored checksum \(stored) but contents give \(computed)"
        case .parameterCountMismatch(let expected, let found):
            return "checkpoint: parameter count mismatch: module has \(expected), file has \(found)"
        case .parameterMismatch(let index, let expectedName, let expectedShape, let foundName, let foundShape):
            return "checkpoint: parameter \(index) mismatch: module expects '\(expectedName)' \(expectedShape), file has '\(foundName)' \(foundShape)"
        case .malformed(let detail):
            return "checkpoint: malformed file: \(detail)"
        case .io(let detail):
            return "checkpoint: \(detail)"
        }
    }
}

/// The binary checkpoint format (all integers little-endian):
///
///     magic "TCKPOINT" (8 bytes) | version UInt32 | total file length UInt64
///     parameter count UInt32
///     per parameter: name length UInt32, UTF-8 name, rank UInt32,
///                    dimensions UInt32 x rank, scalars Float32 x count
///     FNV-1a 64-bit checksum of everything before it (UInt64)
public enum Checkpoint {
    /// The current format version.
    public static let version: UInt32 = 1
    static let magic = Array("TCKPOINT".utf8)

    /// The 64-bit FNV-1a hash of `bytes`.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }

    /// Serialises named tensors.
    static func encode(_ parameters: [(name: String, tensor: Tensor)]) -> [UInt8] {
        var out = magic
        func put<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { out += $0 } }
        put(version)
        put(UInt64(0))  // total length, patched below
        put(UInt32(parameters.count))
        for (name, tensor) in parameters {
            let utf8 = Array(name.utf8)
            put(UInt32(utf8.count)); out += utf8
            put(UInt32(tensor.rank)); for d in tensor.shape { put(UInt32(d)) }
            for s in tensor.scalars { put(s.bitPattern) }
        }
        let total = UInt64(out.count + 8)
        withUnsafeBytes(of: total.littleEndian) { for i in 0..<8 { out[12 + i] = $0[i] } }
        put(out.withUnsafeBytes { checksum($0) })
        return out
    }

    /// Parses and verifies a checkpoint, without touching any module.
    static func decode(_ bytes: [UInt8], path: String) throws -> [(name: String, shape: [Int], scalars: [Float])] {
        guard bytes.count >= 8, Array(bytes[0..<8]) == magic else { throw CheckpointError.notACheckpoint(path: path) }
        var cursor = 8
        func take<T: FixedWidthInteger>(_: T.Type) throws -> T {
            let size = MemoryLayout<T>.size
            guard cursor + size <= bytes.count else {
                throw CheckpointError.malformed("a field at byte \(cursor) runs past the end")
            }
            var value: T = 0
            withUnsafeMutableBytes(of: &value) { for i in 0..<size { $0[i] = bytes[cursor + i] } }
            cursor += size
            return T(littleEndian: value)
        }
        guard bytes.count >= 28 else { throw CheckpointError.truncated(expectedBytes: 28, foundBytes: bytes.count) }
        let found = try take(UInt32.self)
        guard found == version else { throw CheckpointError.unsupportedVersion(found: found, expected: version) }
        let total = Int(try take(UInt64.self))
        guard total == bytes.count else { throw CheckpointError.truncated(expectedBytes: total, foundBytes: bytes.count) }
        let stored = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: total - 8, as: UInt64.self)) }
        let computed = bytes.withUnsafeBytes { checksum(UnsafeRawBufferPointer(rebasing: $0[0..<(total - 8)])) }
        guard stored == computed else { throw CheckpointError.checksumMismatch(stored: stored, computed: computed) }
        let count = Int(try take(UInt32.self))
        var result: [(name: String, shape: [Int], scalars: [Float])] = []
        for _ in 0..<count {
            let length = Int(try take(UInt32.self))
            guard cursor + length <= total - 8 else { throw CheckpointError.malformed("a name runs past the end") }
            let name = String(decoding: bytes[cursor..<(cursor + length)], as: UTF8.self)
            cursor += length
            let rank = Int(try take(UInt32.self))
            guard rank <= 8 else { throw CheckpointError.malformed("parameter '\(name)' has rank \(rank)") }
            var shape: [Int] = []
            for _ in 0..<rank { shape.append(Int(try take(UInt32.self))) }
            var n = 1
            for d in shape {
                let (product, overflow) = n.multipliedReportingOverflow(by: d)
                guard !overflow, product <= total else { throw CheckpointError.malformed("parameter '\(name)' has impossible shape \(shape)") }
                n = product
            }
            guard cursor + 4 * n <= total - 8 else { throw CheckpointError.malformed("parameter '\(name)' runs past the end") }
            var scalars = [Float](repeating: 0, count: n)
            for i in 0..<n { scalars[i] = Float(bitPattern: try take(UInt32.self)) }
            result.append((name, shape, scalars))
        }
        guard cursor == total - 8 else { throw CheckpointError.malformed("\(total - 8 - cursor) unexpected bytes before the checksum") }
        return result
    }
}

extension Module {
    /// Writes every parameter to `url` atomically: the bytes go to a
    /// temporary file in the same folder, which is then renamed over `url`,
    /// so a crash never leaves a half-written checkpoint.
    public func save(to url: URL) throws {
        let bytes = Checkpoint.encode(namedParameters)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try Data(bytes).write(to: temporary)
        } catch {
            throw CheckpointError.io("cannot write \(temporary.path): \(error.localizedDescription)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw CheckpointError.io("cannot rename \(temporary.path) to \(url.path) (errno \(errno))")
        }
    }

    /// Reads parameters saved by `save(to:)`. The whole file is verified
    /// (header, version, length, checksum, names and shapes) before any
    /// parameter changes, so a failed load leaves the module untouched.
    public func load(from url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw CheckpointError.io("cannot read \(url.path): \(error.localizedDescription)")
        }
        let stored = try Checkpoint.decode([UInt8](data), path: url.path)
        let mine = namedParameters
        guard stored.count == mine.count else {
            throw CheckpointError.parameterCountMismatch(expected: mine.count, found: stored.count)
        }
        for (i, (expected, found)) in zip(mine, stored).enumerated()
        where expected.name != found.name || expected.tensor.shape != found.shape {
            throw CheckpointError.parameterMismatch(index: i, expectedName: expected.name, expectedShape: expected.tensor.shape,
                                                    foundName: found.name, foundShape: found.shape)
        }
        for (parameter, found) in zip(mine, stored) { parameter.tensor.scalars = found.scalars }
    }
}
