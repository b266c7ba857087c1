import CourseKit
import Foundation
import TensorCore

/// A small multilayer perceptron on the scalar engine: every weight and bias is a `Value`, and a
/// forward pass builds the graph of one output score, which `backward()` differentiates.
///
/// Layer l computes, for each of its neurons j, a_j = act(b_j + sum_i w_ji x_i) from the previous
/// layer's outputs x; the hidden layers use `activation`, the last layer is linear (no activation)
/// and has one neuron: the score, whose sign is the predicted class.
public struct ValueMLP {
    /// The nonlinearity of the hidden layers.
    public enum Activation: String, Sendable {
        case tanh, relu
    }

    /// The layer widths, input first and output (1) last, for example [2, 16, 16, 1].
    public let sizes: [Int]
    /// weights[l][j][i]: layer l, neuron j, input i.
    public let weights: [[[Value]]]
    /// biases[l][j]: layer l, neuron j.
    public let biases: [[Value]]
    /// The hidden layers' nonlinearity.
    public let activation: Activation

    /// A network with random weights: uniform in +-1/sqrt(fan-in) from a `SeededGenerator`, biases 0.
    ///
    /// - Parameters:
    ///   - inputCount: the number of input features (2 for points in the plane).
    ///   - hiddenSizes: the widths of the hidden layers ([] for a linear classifier).
    ///   - activation: the hidden layers' nonlinearity.
    ///   - seed: the seed of the weights.
    /// - Throws: `InvalidArgument` for a width below 1.
    public init(inputCount: Int, hiddenSizes: [Int], activation: Activation = .tanh, seed: UInt64) throws {
        try Validate.count(inputCount, "inputCount", in: "ValueMLP")
        for width in hiddenSizes { try Validate.count(width, "hiddenSizes", in: "ValueMLP") }
        var generator = SeededGenerator(seed: seed)
        let sizes = [inputCount] + hiddenSizes + [1]
        var weights: [[[Value]]] = []
        for l in 1..<sizes.count {
            let bound = 1 / Double(sizes[l - 1]).squareRoot()
            weights.append((0..<sizes[l]).map { _ in
                (0..<sizes[l - 1]).map { _ in Value(generator.uniform(-bound, bound)) }
            })
        }
        self.sizes = sizes
        self.weights = weights
        self.biases = sizes.dropFirst().map { width in (0..<width).map { _ in Value(0) } }
        self.activation = activation
    }

    /// A network with the given weights and biases (tests and worked examples).
    ///
    /// - Parameters:
    ///   - weights: weights[l][j][i] for layer l, neuron j, input i; the last layer has one neuron.
    ///   - biases: biases[l][j].
    /// - Throws: `InvalidArgument` when the shapes do not chain or the last layer is not one neuron.
    public init(weights: [[[Double]]], biases: [[Double]], activation: Activation = .tanh) throws {
        guard let first = weights.first, let width = first.first?.count, width >= 1 else {
            throw InvalidArgument("ValueMLP", "weights", "expected at least one layer with at least one input")
        }
        var sizes = [width]
        for (l, layer) in weights.enumerated() {
            guard !layer.isEmpty, layer.allSatisfy({ $0.count == sizes[l] }), biases.count > l,
                  biases[l].count == layer.count else {
                throw InvalidArgument("ValueMLP", "weights",
                                      "layer \(l) must have rows of \(sizes[l]) weights and one bias per row")
            }
            sizes.append(layer.count)
        }
        guard sizes.last == 1, biases.count == weights.count else {
            throw InvalidArgument("ValueMLP", "weights", "the last layer must have exactly one neuron (the score)")
        }
        self.sizes = sizes
        self.weights = weights.map { $0.map { $0.map { Value($0) } } }
        self.biases = biases.map { $0.map { Value($0) } }
        self.activation = activation
    }

    /// Every weight and bias, layer by layer, each neuron's weights and then its bias.
    public var parameters: [Value] {
        var result: [Value] = []
        for (layerWeights, layerBiases) in zip(weights, biases) {
            for (row, bias) in zip(layerWeights, layerBiases) { result += row + [bias] }
        }
        return result
    }

    /// The score of one point: a `Value` whose graph reaches every parameter.
    ///
    /// - Throws: `InvalidArgument` for a point of the wrong length; the operations' errors.
    public func callAsFunction(_ point: [Double]) throws -> Value {
        guard point.count == sizes[0] else {
            throw InvalidArgument("ValueMLP", "point", "has \(point.count) coordinates, the network reads \(sizes[0])")
        }
        var inputs = point.map { Value($0) }
        for l in weights.indices {
            let last = l == weights.count - 1
            inputs = try zip(weights[l], biases[l]).map { row, bias in
                var sum = bias
                for (w, x) in zip(row, inputs) { sum = try sum.plus(w.times(x)) }
                if last { return sum }
                return activation == .tanh ? try sum.tanh() : try sum.relu()
            }
        }
        return inputs[0]
    }
}
