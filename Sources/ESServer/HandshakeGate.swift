/// Bounds how many TLS handshakes one event loop has in progress at once.
///
/// Between its first flight and the client's Finished, a server handshake holds about 16 KiB of
/// OpenSSL buffers, for a whole round trip. When many clients connect at once (a client pool
/// starting, a benchmark, every replica of the API server reconnecting), all of those buffers are live
/// together and the allocator keeps the high-water mark. The gate lets `capacity` handshakes run per
/// loop; the other new connections wait, their ClientHello unread in the socket, and start as slots
/// free up. A slot is held for at most `slotLimit`: a client that stalls mid-handshake stops counting
/// after that, so it can delay the others by that much, never block them.
struct HandshakeGate {
    let capacity: Int
    let slotLimitNanos: UInt64
    /// Connections holding a slot, with the time they got it.
    private var holders: [(connection: Connection, since: UInt64)] = []
    /// Connections waiting for a slot, oldest first (from `head`).
    private var waiting: [Connection] = []
    private var head = 0

    init(capacity: Int, slotLimitNanos: UInt64) {
        self.capacity = max(1, capacity)
        self.slotLimitNanos = slotLimitNanos
        holders.reserveCapacity(self.capacity)
    }

    var hasWaiting: Bool { head < waiting.count }

    /// Gives `connection` a slot now (true) or queues it (false).
    mutating func admit(_ connection: Connection, now: UInt64) -> Bool {
        if holders.count < capacity {
            holders.append((connection, now))
            return true
        }
        waiting.append(connection)
        return false
    }

    /// `connection` finished, failed or gave up its handshake.
    mutating func release(_ connection: Connection) {
        if let index = holders.firstIndex(where: { $0.connection === connection }) { holders.remove(at: index) }
    }

    /// Frees the slots held longer than the limit.
    mutating func expire(now: UInt64) {
        holders.removeAll { now &- $0.since > slotLimitNanos }
    }

    /// The next waiting connection that may start now (it holds a slot from now on), if any.
    mutating func nextToStart(now: UInt64) -> Connection? {
        while holders.count < capacity, head < waiting.count {
            let connection = waiting[head]
            head += 1
            if head == waiting.count {
                waiting.removeAll(keepingCapacity: true)
                head = 0
            }
            if connection.isClosed { continue }
            holders.append((connection, now))
            return connection
        }
        return nil
    }

    /// Drops every waiting connection (the loop is ending).
    mutating func removeAll() {
        holders.removeAll()
        waiting.removeAll()
        head = 0
    }
}
