/// A Unicode code point (Go's `rune`); -1 stands for "no rune" (text boundary).
typealias Rune = Int32

let maxRune: Rune = 0x10FFFF

/// A set of runes kept as a flat list of inclusive `lo, hi` pairs, like Go's `[]rune` classes.
struct RuneRanges: Sendable, Hashable {
    private(set) var pairs: [Rune] = []

    init() {}

    init(pairs: [Rune]) {
        self.pairs = pairs
    }

    var isEmpty: Bool { pairs.isEmpty }
    var rangeCount: Int { pairs.count / 2 }

    /// Appends `lo...hi`, merging with one of the last two ranges when they touch (as Go's appendRange).
    mutating func append(_ lo: Rune, _ hi: Rune) {
        let n = pairs.count
        for i in stride(from: 2, through: 4, by: 2) where n >= i {
            let rlo = pairs[n - i], rhi = pairs[n - i + 1]
            if lo <= rhi + 1 && rlo <= hi + 1 {
                if lo < rlo { pairs[n - i] = lo }
                if hi > rhi { pairs[n - i + 1] = hi }
                return
            }
        }
        pairs.append(lo)
        pairs.append(hi)
    }

    /// Appends `lo...hi` plus every rune that is case-fold equivalent to one of them.
    mutating func appendFolded(_ lo: Rune, _ hi: Rune) {
        append(lo, hi)
        for member in CaseFolding.foldMembers(from: lo, through: hi) {
            append(member, member)
        }
    }

    mutating func append(contentsOf other: RuneRanges) {
        var i = 0
        while i < other.pairs.count {
            append(other.pairs[i], other.pairs[i + 1])
            i += 2
        }
    }

    mutating func appendFolded(contentsOf other: RuneRanges) {
        var i = 0
        while i < other.pairs.count {
            appendFolded(other.pairs[i], other.pairs[i + 1])
            i += 2
        }
    }

    /// Appends the complement of a clean set.
    mutating func appendNegated(contentsOf other: RuneRanges) {
        append(contentsOf: other.negated())
    }

    /// Sorted, merged, duplicate-free copy (Go's cleanClass).
    func cleaned() -> RuneRanges {
        var ranges: [(Rune, Rune)] = []
        ranges.reserveCapacity(pairs.count / 2)
        var i = 0
        while i < pairs.count {
            ranges.append((pairs[i], pairs[i + 1]))
            i += 2
        }
        ranges.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 > $1.1) }
        var out: [Rune] = []
        out.reserveCapacity(pairs.count)
        for (lo, hi) in ranges {
            if let last = out.last, lo <= last + 1 {
                if hi > last { out[out.count - 1] = hi }
                continue
            }
            out.append(lo)
            out.append(hi)
        }
        return RuneRanges(pairs: out)
    }

    /// Complement within 0...maxRune. Assumes the set is clean.
    func negated() -> RuneRanges {
        var out: [Rune] = []
        var nextLo: Rune = 0
        var i = 0
        while i < pairs.count {
            let lo = pairs[i], hi = pairs[i + 1]
            if nextLo <= lo - 1 {
                out.append(nextLo)
                out.append(lo - 1)
            }
            nextLo = hi + 1
            i += 2
        }
        if nextLo <= maxRune {
            out.append(nextLo)
            out.append(maxRune)
        }
        return RuneRanges(pairs: out)
    }

    /// Membership test; assumes the set is clean (sorted, disjoint).
    func contains(_ r: Rune) -> Bool {
        let count = pairs.count / 2
        if count <= 8 {
            var i = 0
            while i < pairs.count {
                if r < pairs[i] { return false }
                if r <= pairs[i + 1] { return true }
                i += 2
            }
            return false
        }
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if r > pairs[2 * mid + 1] {
                low = mid + 1
            } else if r < pairs[2 * mid] {
                high = mid
            } else {
                return true
            }
        }
        return false
    }

    /// Builds a set from Go-style `(lo, hi, stride)` table rows.
    static func fromTable(_ rows: [(Rune, Rune, Rune)]) -> RuneRanges {
        var set = RuneRanges()
        for (lo, hi, stride) in rows {
            if stride == 1 {
                set.append(lo, hi)
                continue
            }
            var c = lo
            while c <= hi {
                set.append(c, c)
                c += stride
            }
        }
        return set.cleaned()
    }
}
