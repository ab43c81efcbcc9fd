import ESAPI
import ESJSON
import Testing

@Suite struct GoDurationTests {
    @Test(arguments: [
        ("1h", Int64(3_600_000_000_000)), ("1h30m", 5_400_000_000_000), ("0", 0), ("-0", 0), ("+5s", 5_000_000_000),
        ("1.5s", 1_500_000_000), (".5s", 500_000_000), ("5.s", 5_000_000_000), ("300ms", 300_000_000),
        ("1us", 1_000), ("1µs", 1_000), ("1μs", 1_000), ("2ns", 2), ("-1m", -60_000_000_000), ("1h0m0s", 3_600_000_000_000),
        ("2562047h47m16.854775807s", Int64.max), ("-2562047h47m16.854775808s", Int64.min),
    ])
    func parses(text: String, nanoseconds: Int64) throws {
        #expect(try GoDuration.parseNanoseconds(text) == nanoseconds)
    }

    @Test(arguments: [
        ("abc", #"time: invalid duration "abc""#),
        ("300", #"time: missing unit in duration "300""#),
        ("", #"time: invalid duration """#),
        ("-", #"time: invalid duration "-""#),
        (".s", #"time: invalid duration ".s""#),
        ("1d", #"time: unknown unit "d" in duration "1d""#),
        ("1h x", #"time: unknown unit "h x" in duration "1h x""#),
        ("2562047h47m16.854775808s", #"time: invalid duration "2562047h47m16.854775808s""#),
        ("9999999999999999999h", #"time: invalid duration "9999999999999999999h""#),
        ("1é", #"time: unknown unit "\xc3\xa9" in duration "1\xc3\xa9""#),
    ])
    func rejectsWithGoMessage(text: String, message: String) {
        #expect(throws: GoDuration.ParseError(description: message)) { try GoDuration.parseNanoseconds(text) }
    }

    @Test(arguments: [
        (Int64(0), "0s"), (3_600_000_000_000, "1h0m0s"), (300_000_000_000, "5m0s"), (1_500_000_000, "1.5s"),
        (1, "1ns"), (1_100, "1.1µs"), (2_200_000, "2.2ms"), (-90_000_000_000, "-1m30s"), (Int64.max, "2562047h47m16.854775807s"),
        (Int64.min, "-2562047h47m16.854775808s"), (5_400_000_000_000, "1h30m0s"),
    ])
    func formatsLikeGo(nanoseconds: Int64, text: String) {
        #expect(GoDuration.format(nanoseconds: nanoseconds) == text)
    }

    @Test func roundTripsThroughSwiftDuration() throws {
        let d = try GoDuration.parse("1h2m3.5s")
        #expect(GoDuration.format(d) == "1h2m3.5s")
        #expect(d == .seconds(3723) + .milliseconds(500))
    }
}
