"""A CRM stand-in: a local HTTP server that checks each webhook's signature and records it."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from b2b_cabinet.notifications.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify


class Receiver:
    """Start with ``with Receiver(secret) as crm:``; ``crm.url``, ``crm.events``, ``crm.fail_next``."""

    def __init__(self, secret: str):
        self.secret = secret
        self.events: list[dict] = []
        self.rejected = 0
        self.fail_next = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                ok = verify(receiver.secret, self.headers.get(TIMESTAMP_HEADER, ""), body,
                            self.headers.get(SIGNATURE_HEADER, ""))
                if not ok:
                    receiver.rejected += 1
                    self.send_response(401)
                elif receiver.fail_next:
                    receiver.fail_next -= 1
                    self.send_response(503)
                else:
                    receiver.events.append({"key": self.headers.get("Idempotency-Key"),
                                            "type": self.headers.get("X-B2B-Event"), **json.loads(body)})
                    self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def __enter__(self) -> Receiver:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
