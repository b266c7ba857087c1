/// A light lexical view of Swift source: the identifiers of the code, with
/// comments and string literals removed, so that checks on what a lesson's
/// code names are not fooled by (or unfair to) a name in a comment.
public enum SourceScan {
    /// The source with `//` and `/* */` comments and the contents of string
    /// literals (including multi-line and raw strings, approximately)
    /// replaced by spaces.
    public static func code(of source: String) -> String {
        var out = ""
        let chars = Array(source.unicodeScalars)
        var i = 0
        func at(_ k: Int) -> Unicode.Scalar? { k < chars.count ? chars[k] : nil }
        while i < chars.count {
            let c = chars[i]
            if c == "/" && at(i + 1) == "/" {
                while i < chars.count && chars[i] != "\n" { i += 1 }
            } else if c == "/" && at(i + 1) == "*" {
                var depth = 1
                i += 2
                while i < chars.count && depth > 0 {
                    if chars[i] == "/" && at(i + 1) == "*" { depth += 1; i += 2 } else if chars[i] == "*" && at(i + 1) == "/" { depth -= 1; i += 2 } else { i += 1 }
                }
                out.unicodeScalars.append(" ")
            } else if c == "\"" {
                let triple = at(i + 1) == "\"" && at(i + 2) == "\""
                i += triple ? 3 : 1
                while i < chars.count {
                    if chars[i] == "\\" { i += 2; continue }
                    if triple && chars[i] == "\"" && at(i + 1) == "\"" && at(i + 2) == "\"" { i += 3; break }
                    if !triple && (chars[i] == "\"" || chars[i] == "\n") { i += 1; break }
                    i += 1
                }
                out += "\"\""
            } else {
                out.unicodeScalars.append(c)
                i += 1
            }
        }
        return out
    }

    /// The identifiers (and `@attributes`, with their @) of the code of `source`.
    public static func identifiers(in source: String) -> Set<String> {
        var names = Set<String>()
        var current = ""
        for scalar in code(of: source).unicodeScalars {
            if scalar == "_" || scalar == "@" && current.isEmpty || scalar.properties.isAlphabetic || (!current.isEmpty && ("0"..."9").contains(scalar)) {
                current.unicodeScalars.append(scalar)
            } else {
                if !current.isEmpty { names.insert(current) }
                current = ""
            }
        }
        if !current.isEmpty { names.insert(current) }
        return names
    }
}
