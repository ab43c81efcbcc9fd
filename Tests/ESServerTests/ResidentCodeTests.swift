@testable import ESServer
import Testing

@Suite struct ResidentCodeTests {
    @Test func readsOnlyExecutableFileMappings() {
        func mapping(_ line: String) -> ExecutableMapping? { ExecutableMapping(line: Array(line.utf8CString)) }
        let text = mapping("7f12a000-7f12c000 r-xp 00001000 08:01 1234   /usr/lib/x86_64-linux-gnu/libc.so.6\n")
        #expect(text?.start == 0x7f12_a000)
        #expect(text?.end == 0x7f12_c000)
        #expect(mapping("7f12a000-7f12c000 r--p 00000000 08:01 1234   /usr/lib/x86_64-linux-gnu/libc.so.6\n") == nil)
        #expect(mapping("7f12a000-7f12c000 rw-p 00000000 08:01 1234   /usr/lib/x86_64-linux-gnu/libc.so.6\n") == nil)
        #expect(mapping("7ffd1000-7ffd3000 r-xp 00000000 00:00 0      [vdso]\n") == nil)
        #expect(mapping("7f000000-7f001000 r-xp 00000000 00:00 0\n") == nil)
        #expect(mapping("garbage\n") == nil)
    }

    @Test func codeDroppedFromMemoryRunsAgainFromThePageCache() async throws {
        let server = try startPlainServer()
        #expect(ResidentCode.trimAfterStartup() > 0)
        // Everything the server and curl exchange next runs on code that was just unmapped.
        let result = try await run("/usr/bin/curl", ["-sS", "--data-binary", "abc", "http://127.0.0.1:\(server.port)/after-trim"])
        await server.shutdown(gracePeriod: .seconds(1))
        #expect(result.stdout == "POST /after-trim 3")
    }
}
