/// The binary checkpoint format, version 2 (all integers little-endian):
///
///     magic "TCKPOINT" (8 bytes) | version UInt32 | total file length UInt64
///     entry count UInt32
///     per entry: name length UInt32, UTF-8 name, kind UInt8, then
///                kind 0 (Float32 tensor): rank UInt32, dimensions UInt32 x rank, scalars Float32 x count
///                kind 1 (integers):       count UInt32, values UInt64 x count
///     FNV-1a 64-bit checksum of everything before it (UInt64)
///
/// Decoding checks every length against the bytes that remain before it
/// reads or allocates, so a corrupt or hostile file (a length field of
/// 2^63, a shape whose product overflows) throws `CheckpointError` and never
/// traps.
enum CheckpointFormat {
    /// The current format version.
    static let version: UInt32 = 2
    static let magic = Array("TCKPOINT".utf8)
    /// The smallest possible file: header, entry count and checksum.
    static let minimumLength = 8 + 4 + 8 + 4 + 8

    /// The 64-bit FNV-1a hash of `bytes`.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }

    /// Serialises named entries.
    static func encode(_ entries: [(name: String, entry: Checkpoint.Entry)]) -> [UInt8] {
        var out = magic
        func put<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { out += $0 } }
        put(version)
        put(UInt64(0))  // total length, patched below
        put(UInt32(entries.count))
        for (name, entry) in entries {
            let utf8 = Array(name.utf8)
            put(UInt32(utf8.count)); out += utf8
            switch entry {
            case .floats(let shape, let values):
                put(UInt8(0))
                put(UInt32(shape.count)); for d in shape { put(UInt32(d)) }
                for s in values { put(s.bitPattern) }
            case .integers(let values):
                put(UInt8(1))
                put(UInt32(values.count)); for v in values { put(v) }
            }
        }
        let total = UInt64(out.count + 8)
        withUnsafeBytes(of: total.littleEndian) { for i in 0..<8 { out[12 + i] = $0[i] } }
        put(out.withUnsafeBytes { checksum($0) })
        return out
    }

    /// Parses and verifies a checkpoint.
    static func decode(_ bytes: [UInt8], path: String) throws -> [(name: String, entry: Checkpoint.Entry)] {
        guard bytes.count >= 8, Array(bytes[0..<8]) == magic else { throw CheckpointError.notACheckpoint(path: path) }
        guard bytes.count >= minimumLength else {
            throw CheckpointError.truncated(expectedBytes: UInt64(minimumLength), foundBytes: bytes.count)
        }
        var cursor = 8
        var end = bytes.count  // reads stop here (before the checksum once it is known)
        func take<T: FixedWidthInteger>(_: T.Type) throws -> T {
            let size = MemoryLayout<T>.size
            guard size <= end - cursor else {
                throw CheckpointError.malformed("a field at byte \(cursor) runs past the end")
            }
            var value: T = 0
            withUnsafeMutableBytes(of: &value) { for i in 0..<size { $0[i] = bytes[cursor + i] } }
            cursor += size
            return T(littleEndian: value)
        }
        let found = try take(UInt32.self)
        guard found == version else { throw CheckpointError.unsupportedVersion(found: found, expected: version) }
        let total = try take(UInt64.self)  // compared as UInt64: a claim of 2^63 bytes or more cannot trap
        guard total == UInt64(bytes.count) else { throw CheckpointError.truncated(expectedBytes: total, foundBytes: bytes.count) }
        end = bytes.count - 8
        let stored = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: end, as: UInt64.self)) }
        let computed = bytes.withUnsafeBytes { checksum(UnsafeRawBufferPointer(rebasing: $0[0..<end])) }
        guard stored == computed else { throw CheckpointError.checksumMismatch(stored: stored, computed: computed) }

        let count = Int(try take(UInt32.self))
        var result: [(name: String, entry: Checkpoint.Entry)] = []
        for _ in 0..<count {
            let length = Int(try take(UInt32.self))
            guard length <= end - cursor else { throw CheckpointError.malformed("a name runs past the end") }
            let name = String(decoding: bytes[cursor..<(cursor + length)], as: UTF8.self)
            cursor += length
            switch try take(UInt8.self) {
            case 0:
                let rank = Int(try take(UInt32.self))
                guard rank <= 8 else { throw CheckpointError.malformed("tensor '\(name)' has rank \(rank)") }
                var shape: [Int] = []
                for _ in 0..<rank { shape.append(Int(try take(UInt32.self))) }
                var n = 1
                for d in shape {
                    let (product, overflow) = n.multipliedReportingOverflow(by: d)
                    guard !overflow, product <= (end - cursor) / 4 else {
                        throw CheckpointError.malformed("tensor '\(name)' has shape \(shape), more values than the file holds")
                    }
                    n = product
                }
                var values = [Float](repeating: 0, count: n)
                for i in 0..<n { values[i] = Float(bitPattern: try take(UInt32.self)) }
                result.append((name, .floats(shape: shape, values: values)))
            case 1:
                let n = Int(try take(UInt32.self))
                guard n <= (end - cursor) / 8 else { throw CheckpointError.malformed("integer list '\(name)' runs past the end") }
                var values = [UInt64](repeating: 0, count: n)
                for i in 0..<n { values[i] = try take(UInt64.self) }
                result.append((name, .integers(values)))
            case let kind:
                throw CheckpointError.malformed("entry '\(name)' has unknown kind \(kind)")
            }
        }
        guard cursor == end else { throw CheckpointError.malformed("\(end - cursor) unexpected bytes before the checksum") }
        return result
    }
}
