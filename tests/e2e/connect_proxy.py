#!/usr/bin/env python3
"""A tiny HTTP CONNECT proxy for the proxy-url test.

usage: connect_proxy.py LOG_FILE [USER:PASSWORD] [--tls CERT KEY]
Listens on 127.0.0.1 (a free port), prints "listening on PORT", and tunnels CONNECT requests byte
for byte. With --tls it is an https:// proxy: clients speak TLS to it (with the certificate CERT
and its key KEY; ALPN http/1.1), and send CONNECT inside that; a client that fails the handshake is
logged as "TLS HANDSHAKE FAILED". With USER:PASSWORD, a CONNECT without the matching "Proxy-Authorization: Basic ..."
header gets 407. Appends one line per request to LOG_FILE: "CONNECT TARGET STATUS" (200 when the
tunnel opened), and "CLOSE TARGET UP DOWN" (bytes each way) when a tunnel ends. Anything other than
CONNECT gets 405. Runs until killed.
"""
import base64
import socket
import ssl
import sys
import threading

log_lock = threading.Lock()


def log(path, line):
    with log_lock, open(path, "a", encoding="utf-8") as out:
        out.write(line + "\n")


def pipe(source, sink, counts, index):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            counts[index] += len(data)
            sink.sendall(data)
    except OSError:
        pass
    finally:
        try:
            # The plain socket's shutdown: SSLSocket.shutdown would drop the TLS state the other
            # direction still reads with.
            socket.socket.shutdown(sink, socket.SHUT_WR)
        except OSError:
            pass


def read_head(client):
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = client.recv(4096)
        if not chunk:
            return None, b""
        head += chunk
    return head.split(b"\r\n\r\n", 1)


def authorized(lines, credentials):
    if credentials is None:
        return True
    want = "basic " + base64.b64encode(credentials.encode()).decode()
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "proxy-authorization":
            scheme, _, token = value.strip().partition(" ")
            return scheme.lower() + " " + token == want
    return False


def handle(client, log_path, credentials, tls):
    if tls is not None:
        try:
            client = tls.wrap_socket(client, server_side=True)
        except (OSError, ssl.SSLError):
            log(log_path, "TLS HANDSHAKE FAILED")
            client.close()
            return
    with client:
        head, rest = read_head(client)
        if head is None:
            return
        lines = head.decode("latin-1").split("\r\n")
        method, target = lines[0].split(" ")[:2]
        if method != "CONNECT":
            log(log_path, f"{method} {target} 405")
            client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            return
        if not authorized(lines, credentials):
            log(log_path, f"CONNECT {target} 407")
            client.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                           b"Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n")
            return
        host, port = target.rsplit(":", 1)
        try:
            upstream = socket.create_connection((host.strip("[]"), int(port)))
        except OSError:
            log(log_path, f"CONNECT {target} 502")
            client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            return
        log(log_path, f"CONNECT {target} 200")
        counts = [0, 0]
        with upstream:
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            if rest:
                counts[0] += len(rest)
                upstream.sendall(rest)
            back = threading.Thread(target=pipe, args=(upstream, client, counts, 1), daemon=True)
            back.start()
            pipe(client, upstream, counts, 0)
            back.join()
        log(log_path, f"CLOSE {target} {counts[0]} {counts[1]}")


def main():
    args = sys.argv[1:]
    tls = None
    if "--tls" in args:
        at = args.index("--tls")
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(args[at + 1], args[at + 2])
        tls.set_alpn_protocols(["http/1.1"])
        del args[at:at + 3]
    log_path = args[0]
    credentials = args[1] if len(args) > 1 else None
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    print(f"listening on {server.getsockname()[1]}", flush=True)
    while True:
        client, _ = server.accept()
        threading.Thread(target=handle, args=(client, log_path, credentials, tls),
                         daemon=True).start()


if __name__ == "__main__":
    main()
