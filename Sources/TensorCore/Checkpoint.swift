import Foundation

/// Why a checkpoint could not be read, written or restored.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    /// The file does not start with the checkpoint magic bytes.
    case notACheckpoint(path: String)
    /// The format version is not one this code reads.
    case unsupportedVersion(found: UInt32, expected: UInt32)
    /// The file is shorter (or longer) than its header says.
    case truncated(expectedBytes: UInt64, foundBytes: Int)
    /// The stored checksum does not match the contents (the file is corrupt).
    case checksumMismatch(stored: UInt64, computed: UInt64)
    /// The checkpoint holds a different number of parameters than the module.
    case parameterCountMismatch(expected: Int, found: Int)
    /// A parameter's name or shape differs from the module's.
    case parameterMismatch(index: Int, expectedName: String, expectedShape: [Int], foundName: String, foundShape: [Int])
    /// No entry of that name (or of that kind) is in the checkpoint.
    case missingEntry(name: String, kind: String)
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
        case .missingEntry(let name, let kind):
            return "checkpoint: no \(kind) named '\(name)' in the file"
        case .malformed(let detail):
            return "checkpoint: malformed file: \(detail)"
        case .io(let detail):
            return "checkpoint: \(detail)"
        }
    }
}

/// Everything needed to stop a training run and resume it exactly: named
/// modules, bare tensors (a log-temperature), optimiser state (Adam's moments
/// and step count), random generator states and integer counters.
///
///     var checkpoint = Checkpoint()
///     checkpoint.store(online, as: "online")
///     checkpoint.store(optimizer, as: "adam")
///     checkpoint.store(generator, as: "rng")
///     checkpoint.store(integers: [step], as: "step")
///     try checkpoint.write(to: url)                       // atomic
///
///     let saved = try Checkpoint(contentsOf: url)         // verified
///     try saved.restore(online, from: "online")
///     try saved.restore(optimizer, from: "adam")
///     generator = try saved.generator("rng")
///
/// Every restore checks names and shapes before it changes anything, so a
/// failed restore leaves its target untouched. A restored module's tensors
/// count the change in their `version` (a graph recorded before the load
/// cannot be differentiated afterwards).
public struct Checkpoint: Sendable {
    /// One stored value list: Float32 values with a shape, or 64-bit integers.
    enum Entry: Sendable, Equatable {
        case floats(shape: [Int], values: [Float])
        case integers([UInt64])
    }

    /// The entries in the order they were stored, by full name.
    var entries: [(name: String, entry: Entry)] = []

    /// An empty checkpoint.
    public init() {}

    /// The names of every stored entry, in order (modules and optimisers
    /// contribute one entry per tensor, named "<name>/<tensor name>").
    public var names: [String] { entries.map(\.name) }

    mutating func put(_ name: String, _ entry: Entry) {
        entries.removeAll { $0.name == name }
        entries.append((name, entry))
    }

    func find(_ name: String) -> Entry? { entries.first { $0.name == name }?.entry }

    // MARK: - Storing

    /// Stores every parameter of `module` under `name`.
    public mutating func store(_ module: any Module, as name: String) {
        entries.removeAll { $0.name.hasPrefix(name + "/") }
        for (parameter, tensor) in module.namedParameters {
            put("\(name)/\(parameter)", .floats(shape: tensor.shape, values: tensor.scalars))
        }
        put("\(name)#count", .integers([UInt64(module.namedParameters.count)]))
    }

    /// Stores one tensor's shape and values.
    public mutating func store(_ tensor: Tensor, as name: String) {
        put(name, .floats(shape: tensor.shape, values: tensor.scalars))
    }

    /// Stores an optimiser's state (`exportState()`).
    public mutating func store(_ optimizer: any Optimizer, as name: String) {
        let state = optimizer.exportState()
        entries.removeAll { $0.name.hasPrefix(name + "/") }
        for (entry, values) in state { put("\(name)/\(entry)", .floats(shape: [values.count], values: values)) }
        put("\(name)#count", .integers([UInt64(state.count)]))
    }

    /// Stores a random generator's state.
    public mutating func store(_ generator: SeededGenerator, as name: String) {
        put(name, .integers([generator.state]))
    }

    /// Stores integers (a step counter, an episode count, a seed).
    public mutating func store(integers: [Int], as name: String) {
        put(name, .integers(integers.map { UInt64(bitPattern: Int64($0)) }))
    }

    // MARK: - Restoring

    /// The stored tensors of a module or optimiser called `name`, in order.
    func group(_ name: String, kind: String) throws -> [(name: String, shape: [Int], values: [Float])] {
        guard case .integers(let count)? = find("\(name)#count"), count.count == 1 else {
            throw CheckpointError.missingEntry(name: name, kind: kind)
        }
        let prefix = name + "/"
        let members = entries.compactMap { item -> (name: String, shape: [Int], values: [Float])? in
            guard item.name.hasPrefix(prefix), case .floats(let shape, let values) = item.entry else { return nil }
            return (String(item.name.dropFirst(prefix.count)), shape, values)
        }
        guard UInt64(members.count) == count[0] else {
            throw CheckpointError.malformed("\(kind) '\(name)' lists \(count[0]) tensors but the file holds \(members.count)")
        }
        return members
    }

    /// Puts the stored parameters of `name` into `module` (same names and
    /// shapes); on any mismatch nothing changes.
    public func restore(_ module: any Module, from name: String) throws {
        let stored = try group(name, kind: "module")
        let mine = module.namedParameters
        guard stored.count == mine.count else {
            throw CheckpointError.parameterCountMismatch(expected: mine.count, found: stored.count)
        }
        for (i, (expected, found)) in zip(mine, stored).enumerated()
        where expected.name != found.name || expected.tensor.shape != found.shape {
            throw CheckpointError.parameterMismatch(index: i, expectedName: expected.name, expectedShape: expected.tensor.shape,
                                                    foundName: found.name, foundShape: found.shape)
        }
        for (parameter, found) in zip(mine, stored) { parameter.tensor.assign(found.values) }
    }

    /// Puts the stored values of `name` into `tensor` (same shape).
    public func restore(_ tensor: Tensor, from name: String) throws {
        guard case .floats(let shape, let values)? = find(name) else {
            throw CheckpointError.missingEntry(name: name, kind: "tensor")
        }
        guard shape == tensor.shape else {
            throw CheckpointError.parameterMismatch(index: 0, expectedName: name, expectedShape: tensor.shape,
                                                    foundName: name, foundShape: shape)
        }
        tensor.assign(values)
    }

    /// Puts the stored state of `name` into `optimizer` (`importState`).
    public func restore(_ optimizer: any Optimizer, from name: String) throws {
        let stored = try group(name, kind: "optimizer")
        try optimizer.importState(stored.map { ($0.name, $0.values) })
    }

    /// The random generator stored as `name`.
    public func generator(_ name: String) throws -> SeededGenerator {
        guard case .integers(let values)? = find(name), values.count == 1 else {
            throw CheckpointError.missingEntry(name: name, kind: "generator")
        }
        var generator = SeededGenerator(seed: 0)
        generator.state = values[0]
        return generator
    }

    /// The integers stored as `name`.
    public func integers(_ name: String) throws -> [Int] {
        guard case .integers(let values)? = find(name) else {
            throw CheckpointError.missingEntry(name: name, kind: "integer list")
        }
        return values.map { Int(Int64(bitPattern: $0)) }
    }

    // MARK: - Files

    /// Writes the checkpoint atomically: the bytes go to a temporary file in
    /// the same folder, which is then renamed over `url`, so a crash never
    /// leaves a half-written checkpoint.
    public func write(to url: URL) throws {
        let bytes = CheckpointFormat.encode(entries)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try Data(bytes).write(to: temporary)
        } catch {
            throw CheckpointError.io("cannot write \(temporary.path): \(error.localizedDescription)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw CheckpointError.io("cannot rename \(temporary.path) to \(url.path) (errno \(code))")
        }
    }

    /// Reads and verifies a checkpoint (magic, version, length, checksum and
    /// every entry) without touching any module.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw CheckpointError.io("cannot read \(url.path): \(error.localizedDescription)")
        }
        entries = try CheckpointFormat.decode([UInt8](data), path: url.path)
    }
}

extension Module {
    /// Writes every parameter to `url` atomically (a checkpoint holding this
    /// module alone, under the name "module").
    public func save(to url: URL) throws {
        var checkpoint = Checkpoint()
        checkpoint.store(self, as: "module")
        try checkpoint.write(to: url)
    }

    /// Reads parameters saved by `save(to:)`. The whole file is verified
    /// (header, version, length, checksum, names and shapes) before any
    /// parameter changes, so a failed load leaves the module untouched.
    public func load(from url: URL) throws {
        try Checkpoint(contentsOf: url).restore(self, from: "module")
    }
}
