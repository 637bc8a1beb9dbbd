"""mem0 is configured never to reach the network: no telemetry, no model download, no LLM call."""

import subprocess
import sys
import textwrap

GUARDED = textwrap.dedent(
    """
    import socket

    connect = socket.socket.connect

    def guarded(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            raise SystemExit(f"network access attempted: {address}")
        return connect(sock, address)

    socket.socket.connect = guarded
    from agentic_shop.memory.service import MemoryService

    memory = MemoryService()
    print(memory.search("what does this shopper like", "1", limit=2))
    print(memory.get_all("1")[0])
    """
)


def test_memory_works_with_the_network_unreachable(engine):
    done = subprocess.run([sys.executable, "-c", GUARDED], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("1. ")
