import Testing

// A tampered test file: it would let a wrong 1.1 pass if the grader used it.
@Suite("1.1 discountedReturn")
struct DiscountedReturnTests {
    @Test func alwaysPasses() { #expect(true) }
}
