#!/usr/bin/env python3
"""An HTTP/2-only TLS server for NativeHttp2Test (Debian's python3-h2 does the framing).

usage: h2_server.py CERT KEY
Listens on 127.0.0.1 (a free port), prints "listening on PORT", offers only "h2" in ALPN, and
answers every request with 200 and {"path": PATH, "protocol": "h2"}. Each connection is served
until the client closes it. Runs until killed.
"""
import json
import socket
import ssl
import sys
import threading

import h2.config
import h2.connection
import h2.events


def serve(tls):
    connection = h2.connection.H2Connection(
        config=h2.config.H2Configuration(client_side=False, header_encoding="utf-8"))
    connection.initiate_connection()
    tls.sendall(connection.data_to_send())
    with tls:
        while True:
            try:
                data = tls.recv(65536)
            except (OSError, ssl.SSLError):
                return
            if not data:
                return
            for event in connection.receive_data(data):
                if isinstance(event, h2.events.RequestReceived):
                    path = dict(event.headers)[":path"]
                    body = json.dumps({"path": path, "protocol": "h2"}).encode()
                    connection.send_headers(event.stream_id, [
                        (":status", "200"), ("content-type", "application/json"),
                        ("content-length", str(len(body)))])
                    connection.send_data(event.stream_id, body, end_stream=True)
            tls.sendall(connection.data_to_send())


def accept_forever(wrap, serve_one):
    """Listens on 127.0.0.1 (a free port), prints "listening on PORT", and serves each accepted
    connection, as wrap(socket) returns it (None: dropped), with serve_one on its own thread."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    print(f"listening on {server.getsockname()[1]}", flush=True)
    while True:
        client, _ = server.accept()
        connection = wrap(client)
        if connection is not None:
            threading.Thread(target=serve_one, args=(connection,), daemon=True).start()


def main():
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[1], sys.argv[2])
    context.set_alpn_protocols(["h2"])

    def wrap(client):
        try:
            return context.wrap_socket(client, server_side=True)
        except (OSError, ssl.SSLError):
            client.close()
            return None

    accept_forever(wrap, serve)


if __name__ == "__main__":
    main()
