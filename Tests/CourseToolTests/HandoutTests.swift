import CourseTool
import Testing

@Suite("handout")
struct HandoutTests {
    @Test("the handout README starts with commands that work without Solutions/")
    func studentReadme() throws {
        let readme = try #require(courseRoot.read("README.md"))
        let student = Handout.studentReadme(readme)
        let firstBlock = try #require(student.components(separatedBy: "```").dropFirst().first)
        #expect(!firstBlock.contains("DEEPRL_IMPL=solutions") && firstBlock.contains("swift test") && firstBlock.contains("deeprl demo"),
                "got: \(firstBlock)")
        #expect(student.hasSuffix(String(readme.suffix(200))), "the rest of the README is kept")
    }
}
