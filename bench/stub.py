#!/usr/bin/env python3
"""A keep-alive HTTP/1.1 stub that answers like Cognito's SetUserPoolMfaConfig.

    python3 bench/stub.py PORT [--delay-ms MS] [--host 127.0.0.1]

PORT 0 picks a free port. Prints "ready PORT PID" on stdout once listening
and serves until SIGTERM or SIGINT. (The PID is there because `python3` may be
a wrapper, such as a pyenv shim, that is not the server's process: stop the
server by this PID.) Every request (any method and path) gets the
same 200 answer with a fixed JSON body, except GET /__last, which returns the
head and body of the last other request (so a benchmark can copy the exact
headers the SDK sends), and GET /__stats, which returns the number of requests
answered and the CPU seconds this process has used (so a benchmark can tell
the server's share of a round trip).

Requests are parsed by Content-Length; several requests may arrive in one read
(pipelining) and one request may span several reads. With --delay-ms, each
answer is held back for that long without blocking the event loop
(asyncio.sleep), so that requests on many connections overlap, as they would
against a remote service. Answers on one connection stay in request order.

Only the standard library is used. The zero-delay path answers from inside
buffer_updated(), with one pre-built response template, so that the client and
not this server is what a benchmark measures.
"""

import argparse
import asyncio
import json
import os
import signal
import sys
import time

BODY = b'{"MfaConfiguration":"ON","SoftwareTokenMfaConfiguration":{"Enabled":true}}'
HEAD_TEMPLATE = (
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: application/x-amz-json-1.1\r\n"
    "Content-Length: {length}\r\n"
    "x-amzn-RequestId: {request_id}\r\n"
    "Connection: keep-alive\r\n"
    "\r\n"
)
# Everything before the request id is fixed; build it once.
_PREFIX, _SUFFIX = HEAD_TEMPLATE.split("{request_id}")
PREFIX = _PREFIX.format(length=len(BODY)).encode()
SUFFIX_BODY = _SUFFIX.encode() + BODY
MAX_HEAD = 64 * 1024
MAX_BODY = 16 * 1024 * 1024


class State:
    """What the connections share: a request counter and the last request."""

    def __init__(self, delay):
        self.delay = delay
        self.count = 0
        self.last_head = b""
        self.last_body = b""

    def response(self):
        self.count += 1
        # Shaped like an AWS request id (a UUID), unique per answer.
        rid = b"00000000-0000-4000-8000-%012d" % self.count
        return PREFIX + rid + SUFFIX_BODY

    def control(self, head):
        if head.startswith(b"GET /__stats "):
            body = json.dumps({"count": self.count, "cpu_seconds": time.process_time()}).encode()
        else:
            body = self.last_request()
        return (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\nConnection: keep-alive\r\n\r\n" % len(body)
        ) + body

    def last_request(self):
        lines = self.last_head.decode("latin-1").split("\r\n")
        headers = []
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers.append([name.strip(), value.strip()])
        return json.dumps(
            {
                "request_line": lines[0] if lines else "",
                "headers": headers,
                "body": self.last_body.decode("utf-8", "replace"),
                "count": self.count,
            }
        ).encode()


class StubProtocol(asyncio.BufferedProtocol):
    # A buffered protocol reads into one preallocated buffer per connection:
    # a plain Protocol gets a new bytes object from every recv(), allocated at
    # the transport's 256 KiB read size and then shrunk, which costs mmap,
    # mremap and munmap calls per request.
    READ_SIZE = 64 * 1024

    def __init__(self, state):
        self.state = state
        self.buf = bytearray()
        self.inbox = bytearray(self.READ_SIZE)
        self.inbox_view = memoryview(self.inbox)
        self.transport = None
        self.queue = None  # delayed answers: (due time, bytes, close after)
        self.sender = None
        self.closing = False

    def connection_made(self, transport):
        self.transport = transport

    def connection_lost(self, exc):
        self.closing = True
        if self.sender is not None:
            self.sender.cancel()

    def get_buffer(self, sizehint):
        return self.inbox_view

    def buffer_updated(self, nbytes):
        buf = self.buf
        buf += self.inbox_view[:nbytes]
        while not self.closing:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                if len(buf) > MAX_HEAD:
                    self.fail(b"431 Request Header Fields Too Large")
                return
            head = bytes(buf[:end])
            length, close, expect, chunked, bad = parse_head(head)
            if bad or chunked or length > MAX_BODY:
                self.fail(b"400 Bad Request" if not chunked else b"501 Not Implemented")
                return
            total = end + 4 + length
            if len(buf) < total:
                if expect:
                    self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                return
            body = bytes(buf[end + 4:total])
            del buf[:total]
            if head.startswith(b"GET /__"):
                answer = self.state.control(head)
            else:
                self.state.last_head = head
                self.state.last_body = body
                answer = self.state.response()
            if self.state.delay > 0:
                self.send_later(answer, close)
            else:
                self.transport.write(answer)
                if close:
                    self.closing = True
                    self.transport.close()

    def send_later(self, answer, close):
        if self.queue is None:
            self.queue = asyncio.Queue()
            self.sender = asyncio.get_running_loop().create_task(self.send_queued())
        self.queue.put_nowait((time.monotonic() + self.state.delay, answer, close))

    async def send_queued(self):
        # Each answer is due `delay` after its request arrived; the wait of
        # the next one has been running meanwhile, so pipelined requests
        # overlap, and answers keep their order.
        while True:
            due, answer, close = await self.queue.get()
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            if self.closing:
                return
            self.transport.write(answer)
            if close:
                self.closing = True
                self.transport.close()
                return

    def fail(self, status):
        self.closing = True
        self.transport.write(b"HTTP/1.1 " + status + b"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        self.transport.close()


def parse_head(head):
    """Content-Length, Connection: close, Expect: 100-continue, chunked, bad."""
    lines = head.split(b"\r\n")
    request_line = lines[0].split(b" ")
    if len(request_line) != 3 or not request_line[2].startswith(b"HTTP/1."):
        return 0, True, False, False, True
    close = request_line[2] == b"HTTP/1.0"
    length = 0
    expect = chunked = False
    for line in lines[1:]:
        name, sep, value = line.partition(b":")
        if not sep:
            return 0, True, False, False, True
        name = name.strip().lower()
        if name == b"content-length":
            try:
                length = int(value.strip())
            except ValueError:
                return 0, True, False, False, True
            if length < 0:
                return 0, True, False, False, True
        elif name == b"connection":
            value = value.strip().lower()
            if value == b"close":
                close = True
            elif value == b"keep-alive":
                close = False
        elif name == b"expect":
            expect = value.strip().lower() == b"100-continue"
        elif name == b"transfer-encoding":
            chunked = True
    return length, close, expect, chunked, False


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("port", type=int, help="TCP port on the loopback address (0: any free port)")
    parser.add_argument("--delay-ms", type=float, default=0.0, help="artificial latency per answer")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to listen on")
    opts = parser.parse_args()
    if opts.host not in ("127.0.0.1", "::1", "localhost"):
        parser.error("the stub only listens on a loopback address")

    loop = asyncio.get_running_loop()
    state = State(max(opts.delay_ms, 0.0) / 1000.0)
    server = await loop.create_server(
        lambda: StubProtocol(state), opts.host, opts.port, backlog=1024, reuse_address=True
    )
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    port = server.sockets[0].getsockname()[1]
    print(f"ready {port} {os.getpid()}", flush=True)
    await stop
    server.close()
    print(f"stub on port {port} stopped after {state.count} requests", file=sys.stderr, flush=True)


if __name__ == "__main__":
    asyncio.run(main())
