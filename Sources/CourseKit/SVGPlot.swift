/// SVG output of a `LinePlot`: a standalone file that a browser renders and a
/// slide deck imports.
extension LinePlot {
    /// A colour-blind-safe palette (Okabe and Ito), one colour per series.
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]

    /// The plot as an SVG document: title, both axes with ticks and labels,
    /// light grid lines, one polyline per series and a legend.
    ///
    /// - Parameters:
    ///   - width: width in pixels.
    ///   - height: height in pixels.
    public func svg(width: Int = 720, height: Int = 432) -> String {
        let (xr, yr) = ranges
        let left = 70.0, right = 20.0, top = 40.0
        let w = Double(width), h = Double(height)
        let plotW = w - left - right
        // The legend flows left to right below the x label, each entry as wide as its text (12 px
        // Helvetica averages about 6.7 px a character), wrapping to a new row where it would not fit.
        let entries = series.enumerated().map { (name: $0.element.name, colour: Self.palette[$0.offset % Self.palette.count],
                                                 dashed: false) }
            + references.map { (name: $0.label, colour: "rgb(85,85,85)", dashed: true) }
        var placed: [(x: Double, row: Int)] = []
        var cursor = 0.0, rowIndex = 0
        for entry in entries {
            let width = 30 + 6.7 * Double(entry.name.count) + 18
            if cursor > 0 && cursor + width > plotW { cursor = 0; rowIndex += 1 }
            placed.append((left + cursor, rowIndex))
            cursor += width
        }
        let legendRows = Double(entries.isEmpty ? 0 : rowIndex + 1)
        let bottom = 60.0 + 18.0 * legendRows
        let plotH = h - top - bottom
        func px(_ x: Double) -> Double { left + (x - xr.lowerBound) / (xr.upperBound - xr.lowerBound) * plotW }
        func py(_ y: Double) -> Double {
            let clamped = min(max(y, yr.lowerBound), yr.upperBound)
            return top + (1 - (clamped - yr.lowerBound) / (yr.upperBound - yr.lowerBound)) * plotH
        }
        func f(_ v: Double) -> String { "\((v * 10).rounded() / 10)" }

        var out: [String] = []
        out.append(#"<?xml version="1.0" encoding="UTF-8"?>"#)
        out.append(#"<svg xmlns="http://www.w3.org/2000/svg" width="\#(width)" height="\#(height)" viewBox="0 0 \#(width) \#(height)" font-family="Helvetica, Arial, sans-serif" font-size="12">"#)
        out.append(#"<rect x="0" y="0" width="\#(width)" height="\#(height)" fill="white"/>"#)
        // Shrink a long title so it fits (bold Helvetica averages about 0.6 em per character).
        let titleSize = min(16.0, (w - 20) / (0.62 * Double(max(title.count, 1))))
        out.append(#"<text x="\#(f(w / 2))" y="24" text-anchor="middle" font-size="\#(f(titleSize))" font-weight="bold">\#(escapeXML(title))</text>"#)
        // Grid lines and tick labels.
        let yTicks = Axis.ticks(yr.lowerBound, yr.upperBound, count: 6)
        for (tick, label) in zip(yTicks, Axis.labels(yTicks)) {
            let y = py(tick)
            out.append(#"<line x1="\#(f(left))" y1="\#(f(y))" x2="\#(f(left + plotW))" y2="\#(f(y))" stroke="rgb(229,229,229)"/>"#)
            out.append(#"<text x="\#(f(left - 6))" y="\#(f(y + 4))" text-anchor="end">\#(label)</text>"#)
        }
        for (tick, label) in xTicks(in: xr, count: 8) {
            let x = px(tick)
            out.append(#"<line x1="\#(f(x))" y1="\#(f(top))" x2="\#(f(x))" y2="\#(f(top + plotH))" stroke="rgb(229,229,229)"/>"#)
            out.append(#"<line x1="\#(f(x))" y1="\#(f(top + plotH))" x2="\#(f(x))" y2="\#(f(top + plotH + 5))" stroke="black"/>"#)
            out.append(#"<text x="\#(f(x))" y="\#(f(top + plotH + 18))" text-anchor="middle">\#(label)</text>"#)
        }
        // Reference lines, dashed (labelled after the curves, below).
        for reference in references where yr.contains(reference.y) {
            let y = py(reference.y)
            out.append(#"<line x1="\#(f(left))" y1="\#(f(y))" x2="\#(f(left + plotW))" y2="\#(f(y))" stroke="rgb(85,85,85)" stroke-width="1.5" stroke-dasharray="6 4"/>"#)
        }
        // Axes.
        out.append(#"<line x1="\#(f(left))" y1="\#(f(top))" x2="\#(f(left))" y2="\#(f(top + plotH))" stroke="black"/>"#)
        out.append(#"<line x1="\#(f(left))" y1="\#(f(top + plotH))" x2="\#(f(left + plotW))" y2="\#(f(top + plotH))" stroke="black"/>"#)
        out.append(#"<text x="\#(f(left + plotW / 2))" y="\#(f(top + plotH + 38))" text-anchor="middle">\#(escapeXML(xLabel))</text>"#)
        out.append(#"<text x="16" y="\#(f(top + plotH / 2))" text-anchor="middle" transform="rotate(-90 16 \#(f(top + plotH / 2)))">\#(escapeXML(yLabel))</text>"#)
        // Curves.
        for (index, s) in series.enumerated() {
            let colour = Self.palette[index % Self.palette.count]
            let drawnPoints = drawn(s)
            let points = drawnPoints.map { "\(f(px($0.0))),\(f(py($0.1)))" }.joined(separator: " ")
            if drawnPoints.count == 1 {
                let p = drawnPoints[0]
                out.append(#"<circle cx="\#(f(px(p.0)))" cy="\#(f(py(p.1)))" r="3" fill="\#(colour)"/>"#)
            } else {
                out.append(#"<polyline fill="none" stroke="\#(colour)" stroke-width="2" points="\#(points)"/>"#)
            }
        }
        // Reference labels at the lines' right ends, on top of the curves, with a white halo so that a
        // curve crossing there does not hide them.
        for reference in references where yr.contains(reference.y) {
            out.append(#"<text x="\#(f(left + plotW - 4))" y="\#(f(py(reference.y) - 5))" text-anchor="end" fill="rgb(85,85,85)" stroke="white" stroke-width="4" stroke-linejoin="round" paint-order="stroke">\#(escapeXML(reference.label))</text>"#)
        }
        // The legend, laid out above.
        for (entry, place) in zip(entries, placed) {
            let y = top + plotH + 56 + Double(place.row) * 18
            let dash = entry.dashed ? #" stroke-dasharray="6 4""# : ""
            out.append(#"<line x1="\#(f(place.x))" y1="\#(f(y - 4))" x2="\#(f(place.x + 24))" y2="\#(f(y - 4))" stroke="\#(entry.colour)" stroke-width="3"\#(dash)/>"#)
            out.append(#"<text x="\#(f(place.x + 30))" y="\#(f(y))">\#(escapeXML(entry.name))</text>"#)
        }
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    /// Writes `svg()` to `path` atomically.
    public func writeSVG(to path: String, width: Int = 720, height: Int = 432) throws {
        try writeFileAtomically(svg(width: width, height: height), to: path)
    }
}

/// Escapes the five XML special characters.
func escapeXML(_ text: String) -> String {
    var out = ""
    for ch in text {
        switch ch {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        default: out.append(ch)
        }
    }
    return out
}
