import Foundation

import Glibc

/// A small blocking HTTP/1.1 client for the controller's REST API (`vnm controller --rest`):
/// one request per connection (`Connection: close`), JSON in and out. Commands use it to talk
/// to a running controller without an HTTP client library.
struct ControllerHTTPClient {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    struct Answer {
        var status: Int
        var body: Data
    }

    let host: String
    let port: Int
    /// How long to wait for the whole answer (a migration answers once it is done).
    var timeoutSeconds: Int

    /// `http://HOST:PORT` (a path after it is ignored; `https` is refused).
    init(url: String, timeoutSeconds: Int = 120) throws {
        var rest = Substring(url)
        if rest.hasPrefix("https://") {
            throw Failure(description: "--controller \(url): https is not supported; the REST API speaks plain HTTP")
        }
        if rest.hasPrefix("http://") { rest = rest.dropFirst(7) }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        var host = "127.0.0.1"
        var port = 8080
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw Failure(description: "--controller \(url): unbalanced [ in the host") }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            rest = rest[rest.index(after: close)...]
            if rest.hasPrefix(":") { rest = rest.dropFirst() } else { rest = "" }
            if !rest.isEmpty {
                guard let p = Int(rest), (1...65535).contains(p) else { throw Failure(description: "--controller \(url): bad port") }
                port = p
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            guard let p = Int(rest[rest.index(after: colon)...]), (1...65535).contains(p) else {
                throw Failure(description: "--controller \(url): expected http://HOST:PORT, the port is not 1...65535")
            }
            port = p
        } else if !rest.isEmpty {
            host = String(rest)
        }
        guard !host.isEmpty else { throw Failure(description: "--controller \(url): the host is missing") }
        self.host = host
        self.port = port
        self.timeoutSeconds = timeoutSeconds
    }

    var base: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    /// Sends `method path` with `body` (JSON) and returns the status and body.
    func send(_ method: String, _ path: String, json body: Data? = nil) throws -> Answer {
        let fd = try connect()
        defer { close(fd) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\nAccept: application/json\r\n"
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        head += "\r\n"
        var request = Data(head.utf8)
        if let body { request.append(body) }
        try request.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                guard n > 0 else { throw Failure(description: "cannot send the request to \(base): \(Self.errorText())") }
                offset += n
            }
        }
        var response = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n == 0 { break }
            guard n > 0 else {
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    throw Failure(description: "\(base) did not answer within \(timeoutSeconds) s")
                }
                throw Failure(description: "reading the answer of \(base): \(Self.errorText())")
            }
            response.append(contentsOf: buffer[0..<n])
        }
        return try Self.parse(response, from: base)
    }

    private func connect() throws -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw Failure(description: "cannot resolve the controller's host \(host.debugDescription): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            guard fd >= 0 else { continue }
            var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var connectTimeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &connectTimeout, socklen_t(MemoryLayout<timeval>.size))
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return fd }
            lastError = Self.errorText()
            close(fd)
        }
        throw Failure(
            description: "cannot reach the controller at \(base): \(lastError) (is `vnm controller --rest \(host):\(port)` running?)")
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }

    /// Splits a whole HTTP/1.1 response (read until the server closed) into status and body.
    static func parse(_ response: Data, from base: String) throws -> Answer {
        let separator = Data("\r\n\r\n".utf8)
        guard let end = response.range(of: separator) else {
            throw Failure(description: "\(base) closed the connection without a complete HTTP answer (\(response.count) bytes)")
        }
        let head = String(decoding: response[..<end.lowerBound], as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/"), let status = Int(statusParts[1]) else {
            throw Failure(description: "\(base) did not answer in HTTP: \(lines[0].debugDescription)")
        }
        var body = Data(response[end.upperBound...])
        let chunked = lines.dropFirst().contains {
            $0.lowercased().hasPrefix("transfer-encoding:") && $0.lowercased().contains("chunked")
        }
        if chunked { body = try dechunk(body, from: base) }
        return Answer(status: status, body: body)
    }

    static func dechunk(_ data: Data, from base: String) throws -> Data {
        var result = Data()
        var rest = data[...]
        let crlf = Data("\r\n".utf8)
        while true {
            guard let lineEnd = rest.range(of: crlf) else { throw Failure(description: "\(base): a chunked body ends early") }
            let sizeText = String(decoding: rest[..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                throw Failure(description: "\(base): bad chunk size \(sizeText.debugDescription)")
            }
            rest = rest[lineEnd.upperBound...]
            if size == 0 { return result }
            guard rest.count >= size else { throw Failure(description: "\(base): a chunk is cut short") }
            result.append(rest.prefix(size))
            rest = rest.dropFirst(size)
            if rest.starts(with: crlf) { rest = rest.dropFirst(2) }
        }
    }
}
