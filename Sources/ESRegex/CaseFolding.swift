/// Simple case folding orbits (what Go's `unicode.SimpleFold` iterates), derived from the
/// standard library's case mappings: two runes are equivalent when they fold to the same key.
enum CaseFolding {
    /// Lowest and highest rune involved in folding (Go's minFold / maxFold).
    static let minFold: Rune = 0x41
    static let maxFold: Rune = 0x1E943

    private struct Table: Sendable {
        /// Sorted runes that have at least one other fold-equivalent rune.
        var foldable: [Rune]
        /// For each rune in `foldable`, its orbit (sorted, including itself).
        var orbitOf: [Rune: [Rune]]
    }

    private static let table: Table = buildTable()

    /// Every rune in the fold orbit of `r`, including `r` itself.
    static func orbit(of r: Rune) -> [Rune] {
        table.orbitOf[r] ?? [r]
    }

    /// Go's unicode.SimpleFold: the next larger rune of the orbit, wrapping to the smallest.
    static func simpleFold(_ r: Rune) -> Rune {
        guard let orbit = table.orbitOf[r] else { return r }
        return orbit.first { $0 > r } ?? orbit[0]
    }

    /// The smallest rune of `r`'s orbit (Go's minFoldRune).
    static func minimumEquivalent(of r: Rune) -> Rune {
        table.orbitOf[r]?.first ?? r
    }

    /// Runes fold-equivalent to some rune in `lo...hi` (may include runes of the range itself).
    static func foldMembers(from lo: Rune, through hi: Rune) -> [Rune] {
        if hi < minFold || lo > maxFold { return [] }
        let foldable = table.foldable
        var low = 0, high = foldable.count
        while low < high {
            let mid = (low + high) / 2
            if foldable[mid] < lo { low = mid + 1 } else { high = mid }
        }
        var out: [Rune] = []
        var i = low
        while i < foldable.count && foldable[i] <= hi {
            if let orbit = table.orbitOf[foldable[i]] {
                for member in orbit where member < lo || member > hi {
                    out.append(member)
                }
            }
            i += 1
        }
        return out
    }

    private static func single(_ s: String) -> Rune? {
        var it = s.unicodeScalars.makeIterator()
        guard let first = it.next(), it.next() == nil else { return nil }
        return Rune(first.value)
    }

    private static func foldKey(_ scalar: Unicode.Scalar) -> Rune {
        let value = Rune(scalar.value)
        // Dotless i only folds in Turkic locales; simple folding leaves it alone.
        if value == 0x131 { return value }
        let properties = scalar.properties
        if let upper = single(properties.uppercaseMapping),
           let upperScalar = Unicode.Scalar(UInt32(upper)),
           let lower = single(upperScalar.properties.lowercaseMapping) {
            return lower
        }
        if let lower = single(properties.lowercaseMapping) { return lower }
        return value
    }

    private static func buildTable() -> Table {
        var groups: [Rune: [Rune]] = [:]
        for value in UInt32(minFold)...UInt32(maxFold) {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let properties = scalar.properties
            guard properties.changesWhenCaseMapped || properties.changesWhenCaseFolded || properties.isCased else {
                continue
            }
            groups[foldKey(scalar), default: []].append(Rune(value))
        }
        var orbitOf: [Rune: [Rune]] = [:]
        for (key, members) in groups {
            var orbit = members
            if !orbit.contains(key), let keyScalar = Unicode.Scalar(UInt32(key)), foldKey(keyScalar) == key {
                orbit.append(key)
            }
            guard orbit.count > 1 else { continue }
            orbit.sort()
            for member in orbit { orbitOf[member] = orbit }
        }
        return Table(foldable: orbitOf.keys.sorted(), orbitOf: orbitOf)
    }
}
