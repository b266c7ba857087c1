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
        let legendRows = Double((series.count + 2) / 3)
        let bottom = 60.0 + 18.0 * legendRows
        let w = Double(width), h = Double(height)
        let plotW = w - left - right, plotH = h - top - bottom
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
        for tick in Axis.ticks(yr.lowerBound, yr.upperBound, count: 6) {
            let y = py(tick)
            out.append(#"<line x1="\#(f(left))" y1="\#(f(y))" x2="\#(f(left + plotW))" y2="\#(f(y))" stroke="rgb(229,229,229)"/>"#)
            out.append(#"<text x="\#(f(left - 6))" y="\#(f(y + 4))" text-anchor="end">\#(Axis.label(tick))</text>"#)
        }
        for tick in Axis.ticks(xr.lowerBound, xr.upperBound, count: 8) {
            let x = px(tick)
            out.append(#"<line x1="\#(f(x))" y1="\#(f(top))" x2="\#(f(x))" y2="\#(f(top + plotH))" stroke="rgb(229,229,229)"/>"#)
            out.append(#"<line x1="\#(f(x))" y1="\#(f(top + plotH))" x2="\#(f(x))" y2="\#(f(top + plotH + 5))" stroke="black"/>"#)
            out.append(#"<text x="\#(f(x))" y="\#(f(top + plotH + 18))" text-anchor="middle">\#(Axis.label(tick))</text>"#)
        }
        // Axes.
        out.append(#"<line x1="\#(f(left))" y1="\#(f(top))" x2="\#(f(left))" y2="\#(f(top + plotH))" stroke="black"/>"#)
        out.append(#"<line x1="\#(f(left))" y1="\#(f(top + plotH))" x2="\#(f(left + plotW))" y2="\#(f(top + plotH))" stroke="black"/>"#)
        out.append(#"<text x="\#(f(left + plotW / 2))" y="\#(f(top + plotH + 38))" text-anchor="middle">\#(escapeXML(xLabel))</text>"#)
        out.append(#"<text x="16" y="\#(f(top + plotH / 2))" text-anchor="middle" transform="rotate(-90 16 \#(f(top + plotH / 2)))">\#(escapeXML(yLabel))</text>"#)
        // Curves.
        for (index, s) in series.enumerated() {
            let colour = Self.palette[index % Self.palette.count]
            let points = s.finitePoints.map { "\(f(px($0.0))),\(f(py($0.1)))" }.joined(separator: " ")
            if s.finitePoints.count == 1 {
                let p = s.finitePoints[0]
                out.append(#"<circle cx="\#(f(px(p.0)))" cy="\#(f(py(p.1)))" r="3" fill="\#(colour)"/>"#)
            } else {
                out.append(#"<polyline fill="none" stroke="\#(colour)" stroke-width="2" points="\#(points)"/>"#)
            }
        }
        // Legend, three entries per row below the x label.
        for (index, s) in series.enumerated() {
            let colour = Self.palette[index % Self.palette.count]
            let x = left + Double(index % 3) * plotW / 3
            let y = top + plotH + 56 + Double(index / 3) * 18
            out.append(#"<line x1="\#(f(x))" y1="\#(f(y - 4))" x2="\#(f(x + 24))" y2="\#(f(y - 4))" stroke="\#(colour)" stroke-width="3"/>"#)
            out.append(#"<text x="\#(f(x + 30))" y="\#(f(y))">\#(escapeXML(s.name))</text>"#)
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
