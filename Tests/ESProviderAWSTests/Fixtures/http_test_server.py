#!/usr/bin/env python3
"""Throwaway HTTP(S) server for the HTTPClient tests. Prints its port on the first stdout line.

Usage: http_test_server.py [--cert F --key F [--client-ca F]]
Endpoints: /echo (JSON of the request and the client's port), /close (answers Connection: close),
/stream?n=K&ms=M (chunked, K chunks every M ms; K=0 never ends), /big?size=N, /slow?ms=M, /status?code=C.
"""
import json, socket, ssl, sys, time, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _query(self):
        return {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}

    def _send(self, code, body, headers=()):
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = urlparse(self.path).path
        q = self._query()
        if path == "/echo":
            cert = None
            if isinstance(self.connection, ssl.SSLSocket):
                peer = self.connection.getpeercert()
                if peer:
                    cert = dict(x[0] for x in peer.get("subject", ()))
            out = {"method": self.command, "path": self.path,
                   "headers": [[k, v] for k, v in self.headers.items()],
                   "body": body.decode("utf-8", "replace"), "clientPort": self.client_address[1],
                   "clientCert": cert, "httpVersion": self.request_version}
            self._send(200, json.dumps(out).encode(), [("Content-Type", "application/json")])
        elif path == "/close":
            self.close_connection = True
            self._send(200, json.dumps({"clientPort": self.client_address[1]}).encode(), [("Connection", "close")])
        elif path == "/stream":
            n, ms = int(q.get("n", "5")), int(q.get("ms", "20"))
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            i = 0
            try:
                while n == 0 or i < n:
                    data = ("chunk %d\n" % i).encode()
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                    self.wfile.flush()
                    i += 1
                    time.sleep(ms / 1000.0)
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
                self.close_connection = True
        elif path == "/big":
            self._send(200, b"x" * int(q.get("size", "1000")))
        elif path == "/slow":
            time.sleep(int(q.get("ms", "1000")) / 1000.0)
            self._send(200, b"slow")
        elif path == "/status":
            self._send(int(q.get("code", "200")), b"status body")
        else:
            self._send(404, b"not found")

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle

def main():
    args = sys.argv[1:]
    opts = dict(zip(args[::2], args[1::2]))
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if "--cert" in opts:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(opts["--cert"], opts["--key"])
        if "--client-ca" in opts:
            ctx.load_verify_locations(opts["--client-ca"])
            ctx.verify_mode = ssl.CERT_OPTIONAL
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    # Exit when the test closes our stdin (or dies).
    threading.Thread(target=lambda: (sys.stdin.read(), server.shutdown()), daemon=True).start()
    server.serve_forever()

if __name__ == "__main__":
    main()
