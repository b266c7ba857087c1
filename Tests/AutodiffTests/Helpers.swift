import Autodiff
import Foundation
import Testing

// Shared by the lesson 00 suites: operations made through the public door `Value.record` with
// rules written here (so that 0.2, 0.3 and 0.4 do not depend on 0.1), a reverse pass written
// here with another algorithm than the lesson's (so that 0.1 and 0.7 do not depend on 0.2 or
// 0.3), and a way to see how much stack a call used. Nothing here calls an exercise.

/// A door-made operation with the given local derivatives; `log` (if any) records its name each
/// time its rule runs.
func node(_ name: String, _ data: Double, _ inputs: [Value], _ derivatives: [Double], log: RuleLog? = nil) -> Value {
    let result = Value.record(name, data: data, inputs: inputs) { g in
        log?.ran(name)
        for (input, d) in zip(inputs, derivatives) { input.grad += g * d }
    }
    result.label = name
    return result
}

/// a + b, a * b and tanh(a) through the door, each optionally logged.
func add(_ a: Value, _ b: Value, _ name: String = "+", log: RuleLog? = nil) -> Value {
    node(name, a.data + b.data, [a, b], [1, 1], log: log)
}
func mul(_ a: Value, _ b: Value, _ name: String = "*", log: RuleLog? = nil) -> Value {
    node(name, a.data * b.data, [a, b], [b.data, a.data], log: log)
}
func tanhNode(_ a: Value, _ name: String = "tanh", log: RuleLog? = nil) -> Value {
    let t = Foundation.tanh(a.data)
    return node(name, t, [a], [1 - t * t], log: log)
}

/// The names of the rules that ran, in order.
final class RuleLog: @unchecked Sendable {
    private(set) var names: [String] = []
    func ran(_ name: String) { names.append(name) }
    func count(_ name: String) -> Int { names.filter { $0 == name }.count }
    func position(_ name: String) -> Int? { names.firstIndex(of: name) }
}

/// The values of the graph below `output`, found by a breadth-first walk over `parents`.
func reachable(from output: Value) -> [Value] {
    var found: [ObjectIdentifier: Value] = [ObjectIdentifier(output): output]
    var frontier = [output]
    var all = [output]
    while !frontier.isEmpty {
        var next: [Value] = []
        for value in frontier {
            for parent in value.parents where found[ObjectIdentifier(parent)] == nil {
                found[ObjectIdentifier(parent)] = parent
                next.append(parent)
                all.append(parent)
            }
        }
        frontier = next
    }
    return all
}

/// The tests' own reverse pass (Kahn's algorithm: a value's rule runs once every value that uses
/// it has run its own), with dL/dL = 1 at `output`. Uses only `parents`, `grad` and
/// `propagateGradient()`.
func referenceBackward(_ output: Value) {
    let values = reachable(from: output)
    var users: [ObjectIdentifier: Int] = [:]
    for value in values {
        for parent in value.parents { users[ObjectIdentifier(parent), default: 0] += 1 }
    }
    output.grad = 1
    var ready = [output]
    while let value = ready.popLast() {
        value.propagateGradient()
        for parent in value.parents {
            let id = ObjectIdentifier(parent)
            users[id]! -= 1
            if users[id] == 0 { ready.append(parent) }
        }
    }
}

/// Runs `body` on a thread whose stack is 256 MiB of fresh memory and returns how many bytes of
/// that stack it touched (to the page): a loop over a deep graph needs a few kilobytes, a
/// recursion one frame per level.
func stackBytesUsed(_ body: @escaping () -> Void) -> Int {
    #if os(Linux)
    let size = 256 << 20
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    guard let base = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
          base != MAP_FAILED else {
        Issue.record("could not map a stack for the test")
        return 0
    }
    defer { munmap(base, size) }
    _ = madvise(base, size, Int32(MADV_NOHUGEPAGE))
    _ = mprotect(base, page, PROT_NONE)  // a guard page at the far end
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setstack(&attributes, base, size)
    let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    var thread = pthread_t()
    let created = pthread_create(&thread, &attributes, { context in
        Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue().body()
        return nil
    }, box)
    guard created == 0 else {
        Issue.record("could not start a thread for the test (error \(created))")
        return 0
    }
    pthread_join(thread, nil)
    var resident = [UInt8](repeating: 0, count: size / page)
    guard mincore(base, size, &resident) == 0 else { return 0 }
    let lowest = resident.firstIndex { $0 & 1 != 0 } ?? resident.count
    return size - lowest * page
    #else
    body()
    return 0
    #endif
}

final class ThreadBody: @unchecked Sendable {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}

/// The stack a loop may use on a deep graph before the tests call it a recursion.
let stackAllowance = 1 << 20

/// A number with `digits` decimals, for messages.
func f(_ x: Double, _ digits: Int = 4) -> String { String(format: "%.\(digits)f", x) }

/// Numbers with `digits` decimals, for messages.
func f(_ xs: [Double], _ digits: Int = 4) -> String { "[" + xs.map { f($0, digits) }.joined(separator: ", ") + "]" }

/// Megabytes with one decimal.
func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_048_576) }

/// True when |a - b| <= tolerance (false for NaN).
func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool { Swift.abs(a - b) <= tolerance }

/// The text of the error `body` throws, or "no error".
func errorText(_ body: () throws -> Void) -> String {
    do { try body(); return "no error" } catch { return "\(error)" }
}
