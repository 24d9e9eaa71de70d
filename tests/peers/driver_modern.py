#!/usr/bin/env python3
"""Drive a server with the MCP Python SDK 2.x `Client` (mode "auto": it probes the
`server/discover` handshake of protocol 2026-07-28 and falls back to `initialize` on older
servers) and print one JSON document of what the client observed, like driver.py does for
the 1.x SDK. Used by tests/it/peers.rs to check that `mcpbill wrap` is transparent to the
newer protocol generation too. Scenarios: `time-modern` (mcp-server-time), `order-modern`
(order_server.py, whose tool asks the client for input between two requests of one call).

    driver_modern.py SCENARIO -- COMMAND [ARGS...]
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

import mcp_types as types
from mcp import StdioServerParameters
from mcp.client.client import Client

from normalize import normalize_time


def dump(model: Any) -> Any:
    if hasattr(model, "model_dump"):
        return model.model_dump(mode="json", by_alias=True, exclude_none=True)
    return model


async def call(client: Client, steps: list, name: str, arguments: dict, label: str | None = None) -> None:
    step: dict[str, Any] = {"call": name, "label": label or name, "arguments": arguments}
    try:
        step["result"] = normalize_time(dump(await client.call_tool(name, arguments)))
    except Exception as e:  # noqa: BLE001 (an error answer is an observation)
        step["error"] = f"{type(e).__name__}: {e}"
    steps.append(step)


async def time_modern(client: Client, steps: list) -> None:
    tools = await client.list_tools()
    steps.append(
        {
            "list": "tools",
            "tools": sorted(
                ({"name": t.name, "inputSchema": t.input_schema} for t in tools.tools),
                key=lambda t: t["name"],
            ),
        }
    )
    await call(client, steps, "get_current_time", {"timezone": "Europe/Paris"})
    await call(
        client,
        steps,
        "convert_time",
        {"source_timezone": "UTC", "time": "09:15", "target_timezone": "America/Sao_Paulo"},
    )
    await call(client, steps, "get_current_time", {"timezone": "Nowhere/Land"}, "bad-timezone")


class Elicitations:
    """Answers the server's questions: a size for coffee, a refusal for anything else."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def __call__(self, context: Any, params: Any) -> types.ElicitResult:
        self.asked.append(params.message)
        if "coffee" in params.message:
            return types.ElicitResult(action="accept", content={"size": "large"})
        return types.ElicitResult(action="decline")


async def order_modern(client: Client, steps: list, elicitations: Elicitations) -> None:
    await call(client, steps, "order", {"item": "coffee"})
    await call(client, steps, "menu", {})
    await call(client, steps, "order", {"item": "cake"}, "declined")
    steps.append({"asked": elicitations.asked})


async def run(scenario: str, command: list[str]) -> dict[str, Any]:
    doc: dict[str, Any] = {"scenario": scenario}
    steps: list[dict[str, Any]] = []
    params = StdioServerParameters(command=command[0], args=command[1:])
    elicitations = Elicitations()
    try:
        async with Client(params, elicitation_callback=elicitations) as client:
            doc["protocol_version"] = client.protocol_version
            doc["server_info"] = dump(client.server_info)
            if scenario == "time-modern":
                await time_modern(client, steps)
            else:
                await order_modern(client, steps, elicitations)
    except Exception as e:  # noqa: BLE001 (reported in the document)
        doc["exception"] = f"{type(e).__name__}: {e}"
    doc["steps"] = steps
    return doc


def main(argv: list[str]) -> int:
    if len(argv) < 4 or argv[1] not in ("time-modern", "order-modern") or argv[2] != "--":
        print("usage: driver_modern.py time-modern|order-modern -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    doc = asyncio.run(run(argv[1], argv[3:]))
    json.dump(doc, sys.stdout, indent=1, sort_keys=True, ensure_ascii=False)
    sys.stdout.write("\n")
    return 1 if "exception" in doc else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
