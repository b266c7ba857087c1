import Foundation

/// Anything with trainable parameters: a layer, a network, or a group of them.
///
/// A module lists its parameters with stable names in a fixed order; that
/// order is what optimisers, target-network updates and checkpoints use.
/// The shared behaviour (copy, Polyak averaging, counting, saving, finite
/// checks) is in `Parameters.swift` and `Checkpoint.swift`.
public protocol Module: AnyObject {
    /// The trainable tensors with human-readable names, e.g. "layer 2 weight".
    var namedParameters: [(name: String, tensor: Tensor)] { get }
}

extension Module {
    /// The trainable tensors, in `namedParameters` order.
    public var parameters: [Tensor] { namedParameters.map(\.tensor) }
}

/// A fully connected layer: y = x W + b.
///
/// `x` is `[batch, inputs]`, the weight W is `[inputs, outputs]` (so no
/// transpose is needed; PyTorch stores the transpose, `[outputs, inputs]`)
/// and the bias b is `[outputs]`.
///
/// Initialisation (PyTorch's default, kaiming-uniform with a = sqrt(5)):
/// every weight and bias entry is drawn from U(-1/sqrt(inputs), 1/sqrt(inputs)).
/// This keeps the output variance close to the input variance at the start
/// of training for moderate widths.
public final class Linear: Module {
    /// The weight matrix W, `[inputs, outputs]`.
    public let weight: Tensor
    /// The bias vector b, `[outputs]`.
    public let bias: Tensor

    /// Creates a layer with PyTorch's default initialisation.
    public init(inputs: Int, outputs: Int, using generator: inout SeededGenerator) {
        let bound = 1 / Float(inputs).squareRoot()
        weight = .uniform([inputs, outputs], low: -bound, high: bound, using: &generator, requiresGradient: true)
        bias = .uniform([outputs], low: -bound, high: bound, using: &generator, requiresGradient: true)
    }

    /// Creates a layer with the given weight `[inputs, outputs]` and bias `[outputs]`.
    public init(weight: Tensor, bias: Tensor) {
        check(weight.rank == 2 && bias.shape == [weight.shape[1]],
                     "Linear: weight \(weight.shape) and bias \(bias.shape) do not match: bias must be [\(weight.rank == 2 ? weight.shape[1] : 0)]")
        self.weight = Tensor(shape: weight.shape, scalars: weight.scalars, requiresGradient: true)
        self.bias = Tensor(shape: bias.shape, scalars: bias.scalars, requiresGradient: true)
    }

    /// The number of input features.
    public var inputs: Int { weight.shape[0] }
    /// The number of output features.
    public var outputs: Int { weight.shape[1] }

    /// x W + b for a batch `x` of shape `[batch, inputs]`.
    ///
    /// - Complexity: O(batch * inputs * outputs).
    public func callAsFunction(_ x: Tensor) -> Tensor { Tensor.affine(x, weight, bias) }

    public var namedParameters: [(name: String, tensor: Tensor)] { [("weight", weight), ("bias", bias)] }
}

/// The nonlinearity applied between layers.
public enum Activation: String, Sendable, CaseIterable {
    case identity, relu, tanh, sigmoid

    /// Applies the activation to every scalar.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch self {
        case .identity: return x
        case .relu: return x.relu()
        case .tanh: return x.tanh()
        case .sigmoid: return x.sigmoid()
        }
    }
}

/// A multilayer perceptron: Linear, activation, Linear, activation, ..., Linear.
///
///     var rng = SeededGenerator(seed: 0)
///     let q = MLP([4, 120, 84, 2], activation: .relu, using: &rng)
///     let values = q(observations)  // [batch, 2]
public final class MLP: Module {
    /// The layers, input first.
    public let layers: [Linear]
    /// The activation after every hidden layer.
    public let activation: Activation
    /// The activation after the last layer (usually `.identity`).
    public let outputActivation: Activation

    /// Creates a network with layer sizes `sizes` (input first, at least two).
    public init(_ sizes: [Int], activation: Activation = .relu, outputActivation: Activation = .identity,
                using generator: inout SeededGenerator) {
        check(sizes.count >= 2 && sizes.allSatisfy { $0 > 0 }, "MLP: needs at least an input and an output size, all positive, got \(sizes)")
        var layers: [Linear] = []
        for i in 0..<(sizes.count - 1) {
            layers.append(Linear(inputs: sizes[i], outputs: sizes[i + 1], using: &generator))
        }
        self.layers = layers
        self.activation = activation
        self.outputActivation = outputActivation
    }

    /// Creates a network from existing layers (their parameters are copied).
    public init(layers: [Linear], activation: Activation = .relu, outputActivation: Activation = .identity) {
        self.layers = layers.map { Linear(weight: $0.weight, bias: $0.bias) }
        self.activation = activation
        self.outputActivation = outputActivation
    }

    /// The layer sizes, input first.
    public var sizes: [Int] { [layers[0].inputs] + layers.map(\.outputs) }

    /// The network applied to a batch `[batch, sizes.first]`. It means
    ///
    ///     var h = x
    ///     for layer in layers.dropLast() { h = activation(layer(h)) }
    ///     return outputActivation(layers.last!(h))
    ///
    /// (`composed(_:)`, tested equal in values and gradients); each layer runs
    /// as one fused node, `Tensor.affine(h, W, b, activation:)`, which is the
    /// same arithmetic with fewer intermediate tensors.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        var h = x
        for (i, layer) in layers.enumerated() {
            let last = i == layers.count - 1
            h = Tensor.affine(h, layer.weight, layer.bias, activation: last ? outputActivation : activation)
        }
        return h
    }

    /// The network written as its definition, layer by layer without the
    /// fused step: `activation(layer(h))` for each hidden layer, then the
    /// output layer and `outputActivation`. Equal to `callAsFunction`.
    public func composed(_ x: Tensor) -> Tensor {
        var h = x
        for layer in layers.dropLast() { h = activation(layer(h)) }
        return outputActivation(layers[layers.count - 1](h))
    }

    /// An independent network with the same architecture and values (a
    /// target network).
    public func copy() -> MLP {
        MLP(layers: layers, activation: activation, outputActivation: outputActivation)
    }

    /// Parameters named "layer 1 weight", "layer 1 bias", ... (counting from 1).
    public var namedParameters: [(name: String, tensor: Tensor)] {
        layers.enumerated().flatMap { i, layer in
            layer.namedParameters.map { ("layer \(i + 1) \($0.name)", $0.tensor) }
        }
    }
}

/// Several modules treated as one, with prefixed names ("actor layer 1 weight").
///
/// Use it to optimise, copy or save an actor and its heads together.
public final class ModuleGroup: Module {
    /// The members and their name prefixes, in order.
    public let members: [(name: String, module: any Module)]

    /// Creates a group; names prefix the members' parameter names.
    public init(_ members: [(name: String, module: any Module)]) { self.members = members }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        members.flatMap { member in member.module.namedParameters.map { ("\(member.name) \($0.name)", $0.tensor) } }
    }
}
