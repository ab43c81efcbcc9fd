#if canImport(Glibc)
import Glibc
#endif

/// Keeps the program's resident code to the pages it actually runs.
///
/// On a read fault in a file mapping the kernel maps the 64 KiB around the faulting page
/// ("fault-around") and reads ahead, so sparse calls into a large binary or library make whole
/// neighbourhoods of unused code resident: most of a long-running server's resident size is code
/// that ran once at start-up or never. `trimAfterStartup()` tells the kernel that access to the
/// executable mappings is random (`MADV_RANDOM`: no fault-around, no read-ahead) and drops the pages
/// mapped so far (`MADV_DONTNEED`); from then on only the pages the steady state executes come back,
/// one at a time, from the page cache.
///
/// Only mappings that are executable and not writable are touched: their pages are never modified
/// (position-independent code carries no text relocations), so dropping them loses nothing. Writable
/// and read-only data mappings (whose pages relocation may have written) are left alone.
public enum ResidentCode {
    /// Applies the advice to every executable file mapping of the process; returns how many mappings.
    @discardableResult
    public static func trimAfterStartup() -> Int {
        guard let maps = fopen("/proc/self/maps", "r") else { return 0 }
        defer { fclose(maps) }
        var trimmed = 0
        var line = [CChar](repeating: 0, count: 4096)
        while fgets(&line, Int32(line.count), maps) != nil {
            guard let mapping = ExecutableMapping(line: line) else { continue }
            guard let start = UnsafeMutableRawPointer(bitPattern: mapping.start) else { continue }
            let length = Int(mapping.end - mapping.start)
            if madvise(start, length, MADV_RANDOM) == 0, madvise(start, length, MADV_DONTNEED) == 0 { trimmed += 1 }
        }
        return trimmed
    }
}

/// One `r-xp` line of `/proc/self/maps` backed by a file (not `[vdso]` or anonymous JIT memory).
struct ExecutableMapping {
    var start: UInt
    var end: UInt

    init?(line: [CChar]) {
        let text = String(decoding: line.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let fields = text.split(separator: " ", omittingEmptySubsequences: true)
        // address perms offset dev inode path
        guard fields.count >= 6, fields[1] == "r-xp", fields[5].hasPrefix("/") else { return nil }
        let bounds = fields[0].split(separator: "-")
        guard bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16), end > start else {
            return nil
        }
        self.start = start
        self.end = end
    }
}
