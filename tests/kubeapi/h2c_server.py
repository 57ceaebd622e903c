#!/usr/bin/env python3
"""A cleartext HTTP/2 server (prior knowledge, no TLS) for H2ClientSessionTest, on Debian's
python3-h2: an HTTP/2 implementation we did not write, with behaviours chosen by the path.

usage: h2c_server.py
Listens on 127.0.0.1 (a free port), prints "listening on PORT", and serves each connection until
the client closes it. Runs until killed. Paths:
  /echo             the request body back (200), with x-received-length
  /headers          the request's header fields as "name: value" lines, in the order received
  /bytes?n=N        N bytes, byte i = i % 251, with content-length
  /stream           the same pattern without end, until the client resets the stream
  /gzip?n=N         N pattern bytes gzipped (content-encoding gzip, the compressed content-length)
  /gzip-stream      the endless pattern gzipped as it goes (each piece sync-flushed, so it decodes
                    as it arrives), until the client resets the stream
  /gzip-cut         200, content-encoding gzip, and the first half of a gzipped body, then its end
  /status/404       404 with a Status body
  /rst              200, 1000 bytes, then RST_STREAM(INTERNAL_ERROR)
  /refuse           RST_STREAM(REFUSED_STREAM) at once
  /hold             200 and "first half|", then waits; a later /goaway finishes it with "second half"
  /goaway           GOAWAY(last-stream-id = the first held stream, NO_ERROR, debug "bye"), then
                    finishes the held streams at or below it; /goaway itself is never answered
  /ping             PING and a SETTINGS change to the client; 200 "acked" once both are acknowledged
  /settings         the client's SETTINGS and connection window as "name: value" lines
  /resets           the streams the client reset, as "stream error-code" lines
  /garbage          bytes that are not HTTP/2 frames (an HTTP/1.1 answer)
All flow-control windows are honoured both ways (h2 raises on any violation by the client).
"""
import gzip
import zlib
from urllib.parse import parse_qs, urlsplit

import h2.config
import h2.connection
import h2.errors
import h2.events
import h2.settings
from hyperframe.frame import GoAwayFrame

from h2_server import accept_forever  # this file's directory is on sys.path

PATTERN = bytes(i % 251 for i in range(251 * 1024))


def pattern(start, size):
    out = bytearray()
    offset = start % 251
    while len(out) < size:
        take = min(size - len(out), len(PATTERN) - offset)
        out += PATTERN[offset:offset + take]
        offset = 0
    return bytes(out)


def endless_pattern(encode):
    """A generator for Connection.pending: each call returns the next 256 KiB of the pattern,
    passed through encode."""
    offset = 0

    def more():
        nonlocal offset
        piece = pattern(offset, 262144)
        offset += len(piece)
        return encode(piece)
    return more


class Connection:
    def __init__(self, sock):
        self.sock = sock
        self.h2 = h2.connection.H2Connection(config=h2.config.H2Configuration(
            client_side=False, header_encoding="utf-8"))
        self.requests = {}   # stream id -> (headers, bytearray body)
        self.pending = {}    # stream id -> [bytearray, end_stream, endless generator or None]
        self.held = []
        self.resets = []
        self.ping_stream = None
        self.ping_acked = self.settings_acked = False

    def respond(self, sid, status, body=b"", headers=(), end=True, length=True):
        fields = [(":status", str(status))] + list(headers)
        if length and end:
            fields.append(("content-length", str(len(body))))
        self.h2.send_headers(sid, fields)
        self.pending[sid] = [bytearray(body), end, None]

    def flush(self):
        for sid in list(self.pending):
            data, end, endless = self.pending[sid]
            while True:
                if endless is not None and len(data) < 65536:
                    data += endless()
                window = self.h2.local_flow_control_window(sid)
                if not data or window <= 0:
                    break
                n = min(window, self.h2.max_outbound_frame_size, len(data))
                last = end and endless is None and n == len(data)
                self.h2.send_data(sid, bytes(data[:n]), end_stream=last)
                del data[:n]
            if not data and endless is None:
                if end:
                    del self.pending[sid]
        self.sock.sendall(self.h2.data_to_send())

    def on_request(self, sid, headers, body):
        target = urlsplit(dict(headers)[":path"])
        path, query = target.path, parse_qs(target.query)
        if path == "/echo":
            self.respond(sid, 200, bytes(body), [("x-received-length", str(len(body)))])
        elif path == "/headers":
            text = "".join(f"{name}: {value}\n" for name, value in headers)
            self.respond(sid, 200, text.encode(), [("X-Mixed-Case", "yes")])
        elif path == "/bytes":
            self.respond(sid, 200, pattern(0, int(query["n"][0])))
        elif path == "/stream":
            self.respond(sid, 200, end=False, length=False)
            self.pending[sid] = [bytearray(), False, endless_pattern(lambda piece: piece)]
        elif path == "/gzip":
            self.respond(sid, 200, gzip.compress(pattern(0, int(query["n"][0]))),
                         [("content-encoding", "gzip")])
        elif path == "/gzip-stream":
            self.respond(sid, 200, headers=[("content-encoding", "gzip")], end=False, length=False)
            # A gzip member that never ends. Huffman coding only: the pattern would otherwise
            # shrink ~1000:1, and filling the client's flow-control window would mean compressing
            # gigabytes before the client gets to stop the stream.
            encoder = zlib.compressobj(wbits=31, strategy=zlib.Z_HUFFMAN_ONLY)
            self.pending[sid] = [bytearray(), False, endless_pattern(
                lambda piece: encoder.compress(piece) + encoder.flush(zlib.Z_SYNC_FLUSH))]
        elif path == "/gzip-cut":
            whole = gzip.compress(pattern(0, 100000))
            self.respond(sid, 200, whole[:len(whole) // 2], [("content-encoding", "gzip")])
        elif path == "/status/404":
            self.respond(sid, 404, b'{"kind":"Status","code":404}',
                         [("content-type", "application/json")])
        elif path == "/rst":
            self.respond(sid, 200, pattern(0, 1000), end=False, length=False)
            self.flush()
            del self.pending[sid]
            self.h2.reset_stream(sid, error_code=h2.errors.ErrorCodes.INTERNAL_ERROR)
        elif path == "/refuse":
            self.h2.reset_stream(sid, error_code=h2.errors.ErrorCodes.REFUSED_STREAM)
        elif path == "/hold":
            self.respond(sid, 200, b"first half|", end=False, length=False)
            self.held.append(sid)
        elif path == "/goaway":
            last = min(self.held)
            self.flush()
            self.sock.sendall(GoAwayFrame(0, last_stream_id=last, error_code=0,
                                          additional_data=b"bye").serialize())
            for held in self.held:
                if held <= last:
                    self.pending[held] = [bytearray(b"second half"), True, None]
        elif path == "/ping":
            self.ping_stream = sid
            self.h2.ping(b"12345678")
            self.h2.update_settings({h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS: 77})
        elif path == "/settings":
            remote = self.h2.remote_settings
            text = (f"initial_window_size: {remote.initial_window_size}\n"
                    f"enable_push: {remote.enable_push}\n"
                    f"connection_window: {self.h2.outbound_flow_control_window}\n")
            self.respond(sid, 200, text.encode())
        elif path == "/resets":
            text = "".join(f"{stream} {code}\n" for stream, code in self.resets)
            self.respond(sid, 200, text.encode())
        elif path == "/garbage":
            self.flush()
            self.sock.sendall(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
        else:
            self.respond(sid, 404, b"no such path")

    def on_event(self, event):
        if isinstance(event, h2.events.RequestReceived):
            self.requests[event.stream_id] = (event.headers, bytearray())
        elif isinstance(event, h2.events.DataReceived):
            self.requests[event.stream_id][1].extend(event.data)
            self.h2.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
        elif isinstance(event, h2.events.StreamEnded):
            headers, body = self.requests.pop(event.stream_id)
            self.on_request(event.stream_id, headers, body)
        elif isinstance(event, h2.events.StreamReset):
            self.resets.append((event.stream_id, int(event.error_code)))
            self.pending.pop(event.stream_id, None)
        elif isinstance(event, h2.events.PingAckReceived):
            self.ping_acked = True
        elif isinstance(event, h2.events.SettingsAcknowledged):
            self.settings_acked = True
        if self.ping_stream and self.ping_acked and self.settings_acked:
            self.respond(self.ping_stream, 200, b"acked")
            self.ping_stream = None

    def serve(self):
        self.h2.initiate_connection()
        self.sock.sendall(self.h2.data_to_send())
        while True:
            data = self.sock.recv(262144)
            if not data:
                return
            for event in self.h2.receive_data(data):
                self.on_event(event)
            self.flush()


def serve(sock, _number):
    try:
        Connection(sock).serve()
    except Exception as error:  # the client went away or broke the protocol: log, drop it
        print(f"connection ended: {error!r}", flush=True)
    finally:
        sock.close()


if __name__ == "__main__":
    accept_forever(lambda client: client, serve)
