#!/usr/bin/env python3
"""An HTTP/2-only TLS server for NativeHttp2Test (Debian's python3-h2 does the framing).

usage: h2_server.py CERT KEY [MODE]
Listens on 127.0.0.1 (a free port), prints "listening on PORT", offers only "h2" in ALPN, and
answers every request with 200 and {"path": PATH, "protocol": "h2"}. Each connection is served
until the client closes it. Runs until killed. MODE makes it end connections as servers do:
  goaway-idle    half a second after each answer, sends GOAWAY (last-stream-id: that stream) and keeps the
                 connection open, answering nothing more on it;
  goaway-refuse  answers the first request of a connection; a later one gets GOAWAY (last-stream-id:
                 the first stream), unanswered, and the connection is closed;
  close-idle     half a second after each answer, closes the connection with a TLS close_notify.
Prints "connection N" per connection, "N METHOD PATH" per answer, and "N goaway", "N refused
STREAM", "N closed" or "N request after goaway" as those happen.
"""
import json
import socket
import ssl
import sys
import threading
import time

import h2.config
import h2.connection
import h2.events


def say(line):
    print(line, flush=True)


def serve(tls, number, mode):
    connection = h2.connection.H2Connection(
        config=h2.config.H2Configuration(client_side=False, header_encoding="utf-8"))
    connection.initiate_connection()
    tls.sendall(connection.data_to_send())
    answered, goaway, pending = 0, False, b""
    with tls:
        while True:
            try:
                data = tls.recv(65536)
            except (OSError, ssl.SSLError):
                return
            if not data:
                return
            if goaway:  # h2 takes no frames once closed: look for a new stream's HEADERS
                headers, pending = count_headers_frames(pending + data)
                for _ in range(headers):
                    say(f"{number} request after goaway")
                continue
            events = connection.receive_data(data)
            for event in events:
                if not isinstance(event, h2.events.RequestReceived):
                    continue
                fields = dict(event.headers)
                if mode == "goaway-refuse" and answered > 0:
                    connection.close_connection(last_stream_id=1)
                    tls.sendall(connection.data_to_send())
                    say(f"{number} refused {event.stream_id}")
                    return
                body = json.dumps({"path": fields[":path"], "protocol": "h2"}).encode()
                connection.send_headers(event.stream_id, [
                    (":status", "200"), ("content-type", "application/json"),
                    ("content-length", str(len(body)))])
                connection.send_data(event.stream_id, body, end_stream=True)
                answered += 1
                tls.sendall(connection.data_to_send())
                say(f"{number} {fields[':method']} {fields[':path']}")
                if mode in ("goaway-idle", "close-idle"):
                    time.sleep(0.5)  # the client has read the answer: the connection is idle
                if mode == "goaway-idle":
                    connection.close_connection(last_stream_id=event.stream_id)
                    goaway = True
                    tls.sendall(connection.data_to_send())
                    say(f"{number} goaway")
                elif mode == "close-idle":
                    close_with_notify(tls)
                    say(f"{number} closed")
                    return
            tls.sendall(connection.data_to_send())


def count_headers_frames(data):
    """Returns how many whole HEADERS frames `data` holds, and the bytes after the whole frames."""
    count = 0
    while len(data) >= 9 and len(data) >= 9 + int.from_bytes(data[:3], "big"):
        count += data[3] == 0x1
        data = data[9 + int.from_bytes(data[:3], "big"):]
    return count, data


def close_with_notify(tls):
    """Sends close_notify (not waiting long for the client's) and closes the socket."""
    tls.settimeout(0.2)
    try:
        tls.unwrap().close()
    except (OSError, ssl.SSLError, ValueError):
        tls.close()


def accept_forever(wrap, serve_one):
    """Listens on 127.0.0.1 (a free port), prints "listening on PORT", and serves each accepted
    connection, as wrap(socket) returns it (None: dropped), with serve_one(connection, number) on
    its own thread (numbered from 1)."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    print(f"listening on {server.getsockname()[1]}", flush=True)
    number = 0
    while True:
        client, _ = server.accept()
        connection = wrap(client)
        if connection is not None:
            number += 1
            threading.Thread(target=serve_one, args=(connection, number), daemon=True).start()


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

    mode = sys.argv[3] if len(sys.argv) > 3 else ""

    def serve_numbered(tls, number):
        say(f"connection {number}")
        serve(tls, number, mode)

    accept_forever(wrap, serve_numbered)


if __name__ == "__main__":
    main()
