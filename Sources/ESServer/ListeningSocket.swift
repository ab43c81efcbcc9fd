import CEpoll
#if canImport(Glibc)
import Glibc
#endif

/// Errors from socket setup (bind, listen, epoll).
public struct ServerError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// POSIX socket helpers for the server.
enum Sockets {
    static func errnoMessage(_ what: String) -> String {
        "\(what): \(String(cString: strerror(errno)))"
    }

    /// A non-blocking listening socket bound to host:port. Empty host: `::` with IPV6_V6ONLY off.
    static func listen(host: String, port: Int, backlog: Int32 = 1024) throws(ServerError) -> Int32 {
        if host.isEmpty || host == "::" {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            address.sin6_addr = in6addr_any
            let fd = try makeSocket(family: AF_INET6, dualStack: true)
            return try bindAndListen(fd: fd, address: address, backlog: backlog, description: "[::]:\(port)")
        }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var results: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &results)
        guard status == 0, let first = results else {
            throw ServerError("cannot resolve listen address \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(results) }
        var lastError = "no usable address for \(host)"
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            candidate = info.pointee.ai_next
            guard let address = info.pointee.ai_addr else { continue }
            let family = info.pointee.ai_family
            do {
                let fd = try makeSocket(family: family, dualStack: false)
                if bind(fd, address, info.pointee.ai_addrlen) != 0 {
                    lastError = errnoMessage("cannot bind \(host):\(port)")
                    close(fd)
                    continue
                }
                guard Glibc.listen(fd, backlog) == 0 else {
                    lastError = errnoMessage("cannot listen on \(host):\(port)")
                    close(fd)
                    continue
                }
                return fd
            } catch {
                lastError = error.message
            }
        }
        throw ServerError(lastError)
    }

    private static func makeSocket(family: Int32, dualStack: Bool) throws(ServerError) -> Int32 {
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ServerError(errnoMessage("cannot create socket")) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if family == AF_INET6 {
            var v6only: Int32 = dualStack ? 0 : 1
            setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &v6only, socklen_t(MemoryLayout<Int32>.size))
        }
        return fd
    }

    private static func bindAndListen<Address>(fd: Int32, address: Address, backlog: Int32,
                                               description: String) throws(ServerError) -> Int32 {
        var address = address
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<Address>.size)) }
        }
        guard bound == 0 else {
            let message = errnoMessage("cannot bind \(description)")
            close(fd)
            throw ServerError(message)
        }
        guard Glibc.listen(fd, backlog) == 0 else {
            let message = errnoMessage("cannot listen on \(description)")
            close(fd)
            throw ServerError(message)
        }
        return fd
    }

    /// The local port a socket is bound to.
    static func localPort(_ fd: Int32) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard ok == 0 else { return 0 }
        return port(of: storage)
    }

    static func port(of storage: sockaddr_storage) -> Int {
        var storage = storage
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
        default:
            return 0
        }
    }

    /// `ip:port`, or `[ip]:port` for IPv6; IPv4-mapped IPv6 addresses are shown as IPv4.
    static func describe(_ storage: sockaddr_storage) -> String {
        var storage = storage
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                    var ip = address.pointee.sin_addr
                    inet_ntop(AF_INET, &ip, &text, socklen_t(text.count))
                    return "\(cText(text)):\(UInt16(bigEndian: address.pointee.sin_port))"
                }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                    var ip = address.pointee.sin6_addr
                    inet_ntop(AF_INET6, &ip, &text, socklen_t(text.count))
                    let ipText = cText(text)
                    let port = UInt16(bigEndian: address.pointee.sin6_port)
                    if ipText.hasPrefix("::ffff:"), ipText.contains(".") { return "\(ipText.dropFirst(7)):\(port)" }
                    return "[\(ipText)]:\(port)"
                }
            }
        default:
            return ""
        }
    }

    private static func cText(_ characters: [CChar]) -> String {
        String(decoding: characters.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }
}
