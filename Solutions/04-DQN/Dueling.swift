import CourseKit
import RLKit

/// The dueling architecture (Wang et al., 2016): a shared trunk and two
/// heads, a state value V(s) and advantages A(s, a), combined as
///
///     Q(s, a) = V(s) + A(s, a) - (1 / |A|) sum_a' A(s, a')
///
/// V and A cannot be told apart from Q alone (V + c and A - c give the same
/// Q); subtracting each state's mean advantage pins them down and keeps the
/// advantages centred. The mean is over the actions of one state, not over
/// the batch.
public final class DuelingQNetwork: QNetwork {
    /// The shared layers, ReLU after each (`[observations] + hidden`).
    public let trunk: MLP
    /// V(s): the last hidden width to 1.
    public let valueHead: Linear
    /// A(s, .): the last hidden width to the action count.
    public let advantageHead: Linear

    /// Creates a network with PyTorch's default initialisation.
    ///
    /// - Throws: `InvalidArgument` for no hidden layer or a size below 1.
    public init(observationSize: Int, hiddenSizes: [Int], actionCount: Int,
                using generator: inout SeededGenerator) throws {
        let function = "DuelingQNetwork"
        try Validate.count(observationSize, "observationSize", in: function)
        try Validate.count(actionCount, "actionCount", in: function)
        guard !hiddenSizes.isEmpty, hiddenSizes.allSatisfy({ $0 > 0 }) else {
            throw InvalidArgument(function, "hiddenSizes",
                                  "got \(hiddenSizes), expected at least one hidden layer, all sizes >= 1")
        }
        trunk = MLP([observationSize] + hiddenSizes, activation: .relu, outputActivation: .relu, using: &generator)
        valueHead = Linear(inputs: hiddenSizes[hiddenSizes.count - 1], outputs: 1, using: &generator)
        advantageHead = Linear(inputs: hiddenSizes[hiddenSizes.count - 1], outputs: actionCount, using: &generator)
    }

    /// Creates a network from existing parts (their parameters are copied).
    ///
    /// - Throws: `InvalidArgument` when the heads do not fit the trunk or the
    ///   value head has more than one output.
    public init(trunk: MLP, valueHead: Linear, advantageHead: Linear) throws {
        let width = trunk.sizes[trunk.sizes.count - 1]
        guard valueHead.inputs == width, advantageHead.inputs == width, valueHead.outputs == 1 else {
            throw InvalidArgument("DuelingQNetwork", "heads",
                                  "the value head is \(valueHead.inputs) -> \(valueHead.outputs) and the advantage "
                                  + "head \(advantageHead.inputs) -> \(advantageHead.outputs); "
                                  + "expected \(width) -> 1 and \(width) -> actions")
        }
        self.trunk = trunk.copy()
        self.valueHead = Linear(weight: valueHead.weight, bias: valueHead.bias)
        self.advantageHead = Linear(weight: advantageHead.weight, bias: advantageHead.bias)
    }

    public var observationSize: Int { trunk.sizes[0] }
    public var actionCount: Int { advantageHead.outputs }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        ModuleGroup([("trunk", trunk), ("value", valueHead), ("advantage", advantageHead)]).namedParameters
    }

    public func copy() throws -> DuelingQNetwork {
        try DuelingQNetwork(trunk: trunk, valueHead: valueHead, advantageHead: advantageHead)
    }

    /// Q(s, .) for a batch `[batch, observationSize]`, `[batch, actionCount]`.
    public func callAsFunction(_ observations: Tensor) throws -> Tensor {
        // BEGIN SOLUTION 4.3: the dueling head Q = V + A - mean A (notes, section 5)
        let features = trunk(observations)
        let value = valueHead(features)              // V(s), [batch, 1]
        let advantage = advantageHead(features)      // A(s, .), [batch, actions]
        return value + advantage - advantage.mean(alongAxis: 1, keepingDimensions: true)
        // END SOLUTION
    }
}
