import Foundation

/// Renders CartPole on one line: the track from -2.4 to 2.4 m with the cart
/// and its pole ("|" upright, "/" leaning right, "\" leaning left, beyond 4
/// degrees), followed by the numbers.
///
/// For example `|...................[/]...................| x=+0.012 θ=+5.2°`.
///
/// - Parameters:
///   - state: the state to draw.
///   - width: the number of track cells (at least 3).
public func renderCartPole(_ state: CartPoleState, width: Int = 41) -> String {
    let cells = max(width, 3)
    let fraction = (state.position + CartPole.positionThreshold) / (2 * CartPole.positionThreshold)
    let column = min(max(Int((fraction * Double(cells - 1)).rounded()), 0), cells - 1)
    let degrees = state.angle * 180 / Double.pi
    let pole: Character = degrees > 4 ? "/" : (degrees < -4 ? "\\" : "|")
    var track = Array(repeating: Character("."), count: cells)
    track[column] = pole
    if column > 0 { track[column - 1] = "[" }
    if column < cells - 1 { track[column + 1] = "]" }
    return "|" + String(track) + "|" + String(format: " x=%+.3f θ=%+.1f°", state.position, degrees)
}
