/// The parser's scratch stack for the members or elements of the containers being parsed. A finished
/// container's items are moved (not copied) into an array of exactly their count, so building a
/// document costs one allocation per container and no reference-count traffic for its items.
struct ParseStack<Element>: ~Copyable {
    private var storage: UnsafeMutablePointer<Element>
    private var capacity: Int
    private(set) var count = 0

    /// Allocates nothing until the first push (a parser that only indexes or decodes one string needs none).
    init() {
        capacity = 0
        // Never dereferenced while the capacity is 0.
        storage = UnsafeMutablePointer(bitPattern: MemoryLayout<Element>.alignment)!
    }

    deinit {
        guard capacity > 0 else { return }
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    mutating func push(_ element: consuming Element) {
        if count == capacity { grow() }
        (storage + count).initialize(to: element)
        count &+= 1
    }

    /// Index of the first item at or above `start` that satisfies `predicate`.
    func firstIndex(from start: Int, where predicate: (borrowing Element) -> Bool) -> Int? {
        var i = start
        while i < count {
            if predicate(storage[i]) { return i }
            i &+= 1
        }
        return nil
    }

    /// The item at `index` (below `count`), unchecked.
    subscript(index: Int) -> Element {
        @inline(__always) get { storage[index] }
        @inline(__always) _modify { yield &storage[index] }
    }

    /// Hands the items over as memory the caller now owns (deinitialize and deallocate it; `nil` when
    /// empty) and leaves the stack empty.
    mutating func takeStorage() -> (items: UnsafeMutablePointer<Element>?, count: Int) {
        guard capacity > 0 else { return (nil, 0) }
        let taken = (storage, count)
        capacity = 0
        count = 0
        storage = UnsafeMutablePointer(bitPattern: MemoryLayout<Element>.alignment)!
        return taken
    }

    /// Replaces the item at `index`.
    mutating func replace(at index: Int, with element: consuming Element) {
        storage[index] = element
    }

    /// Moves the items from `start` to the top into a new array and pops them.
    mutating func popArray(from start: Int) -> [Element] {
        // reserveCapacity + append is specialized for Element; `Array(unsafeUninitializedCapacity:)`
        // allocates through the runtime's generic path (a metadata lookup per array).
        var array: [Element] = []
        array.reserveCapacity(count &- start)
        var i = start
        while i < count {
            array.append((storage + i).move())
            i &+= 1
        }
        count = start
        return array
    }

    /// Drops the items from `start` to the top (a container whose parse failed).
    mutating func pop(to start: Int) {
        guard start < count else { return }
        (storage + start).deinitialize(count: count &- start)
        count = start
    }

    private mutating func grow() {
        let larger = max(64, capacity &* 2)
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: larger)
        if capacity > 0 {
            bigger.moveInitialize(from: storage, count: count)
            storage.deallocate()
        }
        storage = bigger
        capacity = larger
    }
}
