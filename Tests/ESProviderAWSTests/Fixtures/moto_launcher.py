#!/usr/bin/env python3
"""Starts moto's server on an ephemeral loopback port with IAM authentication ON from the first request
(INITIAL_NO_AUTH_ACTION_COUNT=0), prints the port, and exits when stdin closes."""
import os
import sys
import threading

os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "0"
from moto.server import ThreadedMotoServer  # noqa: E402

server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
print(server.get_host_and_port()[1], flush=True)
try:
    sys.stdin.read()
finally:
    server.stop()
