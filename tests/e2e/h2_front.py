#!/usr/bin/env python3
"""An HTTP/2-only TLS front for the kube-sandbox (which speaks HTTP/1.1): the http2 e2e test puts it
between kubectl-mattermost and the sandbox, so the plugin's REST traffic, watches included, goes
over HTTP/2 to an implementation we did not write (Debian's python3-h2).

usage: h2_front.py CERT KEY UPSTREAM_HOST:PORT UPSTREAM_CA LOG_FILE
Listens on 127.0.0.1 (a free port), prints "listening on PORT", offers only "h2" in ALPN, and
forwards every request (method, path, headers, body; Authorization passes through) to the upstream
over HTTPS, one upstream connection per request, streaming the answer back as it arrives (so watches
flow), within HTTP/2 flow control. Answers to requests that accept gzip are gzipped here (the
sandbox never compresses): whole, or for watches and followed logs piece by piece as they flow.
A stream the client resets stops its upstream request. Appends to LOG_FILE "CONNECTION N ALPN"
per connection and "N METHOD PATH STATUS [gzip|gzip-stream]" per answered request.
Runs until killed.
"""
import gzip
import http.client
import queue
import select
import socket
import ssl
import sys
import threading
import zlib

import h2.config
import h2.connection
import h2.events
import h2.exceptions

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade",
              "te", "trailer"}
log_lock = threading.Lock()


def log(path, line):
    with log_lock, open(path, "a", encoding="utf-8") as out:
        out.write(line + "\n")


def content_coding(fields, path, response):
    """How an answer is compressed here: "gzip" (whole), "gzip-stream" (a watch or a followed log,
    compressed as it flows), or None (gzip not accepted, or the upstream already encoded it)."""
    if "gzip" not in fields.get("accept-encoding", "") or response.getheader("content-encoding"):
        return None
    return "gzip-stream" if "watch=" in path or "follow=true" in path else "gzip"


class Front:
    def __init__(self, tls, number, upstream, upstream_ctx, log_path):
        self.tls, self.number = tls, number
        self.upstream, self.upstream_ctx, self.log_path = upstream, upstream_ctx, log_path
        self.h2 = h2.connection.H2Connection(config=h2.config.H2Configuration(
            client_side=False, header_encoding="utf-8"))
        self.events = queue.Queue()  # from the upstream workers: (kind, stream id, payload)
        self.requests = {}           # stream id -> [headers, body]
        self.outgoing = {}           # stream id -> [bytearray, ended]
        self.stopped = set()         # streams the client reset: their workers stop

    def forward(self, sid, headers, body):
        """Worker thread: one upstream request; its answer goes to self.events in pieces."""
        fields = dict(headers)
        method, path = fields[":method"], fields[":path"]
        upstream = http.client.HTTPSConnection(*self.upstream, context=self.upstream_ctx,
                                               timeout=300)
        try:
            forwarded = {k: v for k, v in headers if not k.startswith(":") and k not in HOP_BY_HOP}
            upstream.request(method, path, body=bytes(body) if body else None, headers=forwarded)
            response = upstream.getresponse()
            answer = [(k.lower(), v) for k, v in response.getheaders()
                      if k.lower() not in HOP_BY_HOP]
            coding = content_coding(fields, path, response)
            if coding:
                answer = [(k, v) for k, v in answer if k != "content-length"]
                answer.append(("content-encoding", "gzip"))
            if coding == "gzip":
                body = gzip.compress(response.read())
                answer.append(("content-length", str(len(body))))
            self.events.put(("headers", sid, (response.status, answer)))
            log(self.log_path, f"{self.number} {method} {path} {response.status}" +
                (f" {coding}" if coding else ""))
            if coding == "gzip":
                self.events.put(("data", sid, body))
            # A stream is gzipped piece by piece, each sync-flushed: the client decodes it as it
            # flows (a watch event must not wait for the next one).
            encoder = zlib.compressobj(wbits=31) if coding == "gzip-stream" else None
            while sid not in self.stopped:
                chunk = response.read1(65536)
                if not chunk:
                    break
                if encoder:
                    chunk = encoder.compress(chunk) + encoder.flush(zlib.Z_SYNC_FLUSH)
                self.events.put(("data", sid, chunk))
            if encoder:
                self.events.put(("data", sid, encoder.flush()))
            self.events.put(("end", sid, None))
        except (OSError, http.client.HTTPException) as error:
            log(self.log_path, f"{self.number} {method} {path} upstream error {error!r}")
            self.events.put(("reset", sid, None))
        finally:
            upstream.close()

    def on_event(self, event):
        if isinstance(event, h2.events.RequestReceived):
            self.requests[event.stream_id] = [event.headers, bytearray()]
        elif isinstance(event, h2.events.DataReceived):
            self.requests[event.stream_id][1].extend(event.data)
            self.h2.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
        elif isinstance(event, h2.events.StreamEnded) and event.stream_id in self.requests:
            headers, body = self.requests.pop(event.stream_id)
            threading.Thread(target=self.forward, args=(event.stream_id, headers, body),
                             daemon=True).start()
        elif isinstance(event, h2.events.StreamReset):
            self.stopped.add(event.stream_id)
            self.outgoing.pop(event.stream_id, None)

    def on_upstream(self, kind, sid, payload):
        if sid in self.stopped:
            return
        if kind == "headers":
            status, headers = payload
            self.h2.send_headers(sid, [(":status", str(status))] + headers)
            self.outgoing[sid] = [bytearray(), False]
        elif kind == "data":
            self.outgoing[sid][0].extend(payload)
        elif kind == "end":
            self.outgoing[sid][1] = True
        else:
            self.h2.reset_stream(sid)
            self.outgoing.pop(sid, None)

    def flush(self):
        for sid in list(self.outgoing):
            data, ended = self.outgoing[sid]
            while data:
                n = min(self.h2.local_flow_control_window(sid), self.h2.max_outbound_frame_size,
                        len(data))
                if n <= 0:
                    break
                self.h2.send_data(sid, bytes(data[:n]))
                del data[:n]
            if ended and not data:
                self.h2.end_stream(sid)
                del self.outgoing[sid]
        pending = self.h2.data_to_send()
        if pending:
            self.tls.sendall(pending)

    def serve(self):
        self.h2.initiate_connection()
        self.tls.sendall(self.h2.data_to_send())
        while True:
            # Only this thread touches the TLS socket and the h2 state: workers queue events.
            if self.tls.pending() or select.select([self.tls], [], [], 0.01)[0]:
                data = self.tls.recv(262144)
                if not data:
                    return
                for event in self.h2.receive_data(data):
                    self.on_event(event)
            while not self.events.empty():
                self.on_upstream(*self.events.get())
            self.flush()


def main():
    cert, key, upstream, upstream_ca, log_path = sys.argv[1:6]
    host, port = upstream.rsplit(":", 1)
    upstream_ctx = ssl.create_default_context(cafile=upstream_ca)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.set_alpn_protocols(["h2"])
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    print(f"listening on {server.getsockname()[1]}", flush=True)
    number = 0
    while True:
        client, _ = server.accept()
        number += 1
        try:
            tls = context.wrap_socket(client, server_side=True)
        except (OSError, ssl.SSLError) as error:
            log(log_path, f"CONNECTION {number} handshake failed {error!r}")
            client.close()
            continue
        log(log_path, f"CONNECTION {number} {tls.selected_alpn_protocol()}")
        front = Front(tls, number, (host, int(port)), upstream_ctx, log_path)
        threading.Thread(target=serve_quietly, args=(front,), daemon=True).start()


def serve_quietly(front):
    try:
        front.serve()
    except (OSError, ssl.SSLError, h2.exceptions.H2Error) as error:
        log(front.log_path, f"CONNECTION {front.number} ended: {error!r}")
    finally:
        front.tls.close()


if __name__ == "__main__":
    main()
