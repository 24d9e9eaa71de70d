#!/usr/bin/env python3
"""A stdio MCP server on the MCP Python SDK 2.x (`MCPServer`) whose `order` tool needs an
answer from the client before it can finish. On protocol 2026-07-28 the SDK asks for it
with an `input_required` result, and the client sends the call again with the answer and
the `requestState` (multi-round-trip requests): one call, two `tools/call` requests.
tests/it/peers.rs drives it with driver_modern.py, directly and through `mcpbill wrap`.

    order_server.py
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel

from mcp.server.mcpserver import Elicit, MCPServer, Resolve

app = MCPServer("mcpbill-order-server")


class Size(BaseModel):
    size: str


def ask_size(item: str) -> Elicit[Size]:
    return Elicit(f"What size of {item}?", Size)


@app.tool()
def order(item: str, choice: Annotated[Size, Resolve(ask_size)]) -> str:
    """Order an item; asks the client which size."""
    return f"ordered a {choice.size} {item}"


@app.tool()
def menu() -> str:
    """What can be ordered (needs no input)."""
    return "coffee, tea"


if __name__ == "__main__":
    app.run()
