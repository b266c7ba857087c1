import Benchmarks
import Testing

@Suite("deeprl bench: the keys --only accepts")
struct BenchmarkKeysTests {
    @Test("every key is listed once")
    func keysAreUnique() {
        #expect(Set(benchmarkKeys).count == benchmarkKeys.count, "duplicated: \(benchmarkKeys)")
        #expect(benchmarkKeys.contains("sac_update_us") && benchmarkKeys.contains("sac_update_us_threads"))
    }

    @Test("an unknown key is named, known and extra keys are not")
    func unknownKeys() {
        let requested: Set = ["sac_update_us", "nosuchkey", "dqn_agent_steps_per_s", "matmul_256_gflops_threads", "SAC_UPDATE_US"]
        #expect(unknownBenchmarkKeys(requested, extraKeys: ["dqn_agent_steps_per_s"]) == ["SAC_UPDATE_US", "nosuchkey"])
        #expect(unknownBenchmarkKeys(["dqn_agent_steps_per_s"]) == ["dqn_agent_steps_per_s"])
    }

    @Test("the cheap benchmarks report exactly the keys asked for, each a listed key")
    func cheapKeysReport() throws {
        let asked: Set = ["cartpole_step_us", "thread_handoff_us"]
        let keys = try runAllBenchmarks(only: asked).map(\.key)
        #expect(Set(keys).isSubset(of: asked), "reported \(keys)")
        #expect(keys.contains("cartpole_step_us"), "reported \(keys)")
        #expect(Set(keys).isSubset(of: Set(benchmarkKeys)))
    }
}
