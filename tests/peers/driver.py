#!/usr/bin/env python3
"""Drive one scenario against a stdio MCP server with the official MCP Python SDK client
(`mcp.ClientSession` over `mcp.client.stdio.stdio_client`) and print one JSON document of
what the client observed: the handshake, tool results and errors, progress notifications,
and the requests the server sent to the client (sampling, elicitation, roots) with the
answers given.

    driver.py SCENARIO -- COMMAND [ARGS...]

The document is deterministic for a given server so that a direct run and a run through
`mcpbill wrap` can be compared for equality (tests/it/peers.rs). Values that change from
run to run by nature (the current time) are replaced by a placeholder after checking their
shape. Exit 0 when the scenario ran; 2 on a usage error; 1 when the scenario itself failed
(the document then has an "exception" entry).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sys
import warnings
from typing import Any

import anyio
import mcp.types as types
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.shared.context import RequestContext
from mcp.shared.exceptions import McpError

from normalize import normalize_time

# The 1.x SDK's task API warns that it moves to an extension in 2.x; the wire is the same.
warnings.filterwarnings("ignore", category=DeprecationWarning)


class Observer:
    """Collects what the client sees, in order."""

    def __init__(self) -> None:
        self.steps: list[dict[str, Any]] = []
        self.server_requests: list[dict[str, Any]] = []
        self.progress: dict[str, list[dict[str, Any]]] = {}
        self.roots_requested = anyio.Event()

    # Client callbacks: the requests a server may send to its client.

    async def sampling(
        self, context: RequestContext, params: types.CreateMessageRequestParams
    ) -> types.CreateMessageResult:
        prompt = " / ".join(
            m.content.text for m in params.messages if isinstance(m.content, types.TextContent)
        )
        answer = types.CreateMessageResult(
            role="assistant",
            content=types.TextContent(type="text", text=f"sampled answer to: {prompt}"),
            model="mcpbill-test-model",
            stopReason="endTurn",
        )
        self.server_requests.append(
            {
                "method": "sampling/createMessage",
                "params": dump(params),
                "answer": dump(answer),
            }
        )
        return answer

    async def elicitation(
        self, context: RequestContext, params: types.ElicitRequestParams
    ) -> types.ElicitResult:
        answer = types.ElicitResult(
            action="accept",
            content={
                "name": "Ada Lovelace",
                "check": True,
                "email": "ada@example.com",
                "integer": 7,
            },
        )
        self.server_requests.append(
            {"method": "elicitation/create", "params": dump(params), "answer": dump(answer)}
        )
        return answer

    async def roots(self, context: RequestContext) -> types.ListRootsResult:
        self.roots_requested.set()
        answer = types.ListRootsResult(
            roots=[
                types.Root(uri="file:///srv/project", name="project"),
                types.Root(uri="file:///srv/data", name="data"),
            ]
        )
        self.server_requests.append({"method": "roots/list", "answer": dump(answer)})
        return answer

    async def logging(self, params: types.LoggingMessageNotificationParams) -> None:
        # Log messages are informational and some servers emit them at random; not recorded.
        return None

    def progress_callback(self, label: str):
        seen = self.progress.setdefault(label, [])

        async def on_progress(progress: float, total: float | None, message: str | None) -> None:
            seen.append({"progress": progress, "total": total, "message": message})

        return on_progress

    # Calls.

    async def call(
        self,
        session: ClientSession,
        name: str,
        arguments: dict[str, Any] | None,
        *,
        label: str | None = None,
        record_arguments: bool = True,
        progress: bool = False,
        normalize=None,
    ) -> dict[str, Any]:
        step: dict[str, Any] = {"call": name, "label": label or name}
        if record_arguments:
            step["arguments"] = arguments
        callback = self.progress_callback(step["label"]) if progress else None
        try:
            result = await session.call_tool(name, arguments, progress_callback=callback)
            out = dump(result)
            if normalize is not None:
                out = normalize(out)
            step["result"] = out
        except McpError as e:
            step["error"] = {"code": e.error.code, "message": e.error.message}
        self.steps.append(step)
        return step


def describe(e: BaseException) -> str:
    """An exception, with the members of an exception group."""
    if isinstance(e, BaseExceptionGroup):
        return "; ".join(describe(x) for x in e.exceptions)
    return f"{type(e).__name__}: {e}"


def dump(model: Any) -> Any:
    """A pydantic model as JSON data with the wire names (`_meta`), without unset fields."""
    if hasattr(model, "model_dump"):
        return model.model_dump(mode="json", by_alias=True, exclude_none=True)
    return model


def init_summary(init: types.InitializeResult) -> dict[str, Any]:
    return {
        "protocolVersion": init.protocolVersion,
        "serverInfo": dump(init.serverInfo),
        "capabilities": dump(init.capabilities),
    }


async def list_tools(obs: Observer, session: ClientSession) -> None:
    tools = await session.list_tools()
    obs.steps.append(
        {
            "list": "tools",
            "tools": sorted(
                ({"name": t.name, "inputSchema": t.inputSchema} for t in tools.tools),
                key=lambda t: t["name"],
            ),
        }
    )


# Scenarios against @modelcontextprotocol/server-everything.


async def everything_tools(obs: Observer, s: ClientSession) -> None:
    await list_tools(obs, s)


async def everything_echo_add(obs: Observer, s: ClientSession) -> None:
    await obs.call(s, "echo", {"message": "hello through the shim"})
    await obs.call(s, "echo", {"message": "unicode: héllo ✓ 😀 \u2028 done"})
    await obs.call(s, "get-sum", {"a": 19, "b": 23})
    await obs.call(s, "get-structured-content", {"location": "Chicago"})


async def everything_errors(obs: Observer, s: ClientSession) -> None:
    # Invalid arguments: the server answers with a tool error (isError) or a JSON-RPC error.
    await obs.call(s, "get-sum", {"a": "not a number"}, label="bad-arguments")
    # A tool that does not exist.
    await obs.call(s, "no-such-tool", {}, label="unknown-tool")
    # And the session still works afterwards.
    await obs.call(s, "echo", {"message": "still alive"})


async def everything_progress(obs: Observer, s: ClientSession) -> None:
    await obs.call(
        s,
        "trigger-long-running-operation",
        {"duration": 1, "steps": 4},
        progress=True,
    )


async def everything_sampling(obs: Observer, s: ClientSession) -> None:
    await obs.call(s, "trigger-sampling-request", {"prompt": "Say hello", "maxTokens": 20})


async def everything_elicitation(obs: Observer, s: ClientSession) -> None:
    await obs.call(s, "trigger-elicitation-request", {})


async def everything_roots(obs: Observer, s: ClientSession) -> None:
    await obs.call(s, "get-roots-list", {})


async def everything_large(obs: Observer, s: ClientSession) -> None:
    # About 1 MB of varied text (not a single repeated byte), echoed back.
    chunk = "".join(chr(0x41 + (i * 7) % 26) for i in range(997)) + " é✓\n"
    message = (chunk * (1_048_576 // len(chunk) + 1))[:1_048_576]

    def summarize(result: dict[str, Any]) -> dict[str, Any]:
        texts = [c.get("text", "") for c in result.get("content", [])]
        joined = "".join(texts)
        result = dict(result)
        result["content"] = [
            {
                "type": "text",
                "length": len(joined),
                "sha256": hashlib.sha256(joined.encode()).hexdigest(),
                "echoed_exactly": joined == f"Echo: {message}",
            }
        ]
        return result

    await obs.call(
        s,
        "echo",
        {"message": message},
        label="echo-1mb",
        record_arguments=False,
        normalize=summarize,
    )


async def everything_concurrent(obs: Observer, s: ClientSession) -> None:
    n = 50
    messages = [f"concurrent call {i:02d}" for i in range(n)]
    results: list[Any] = [None] * n

    async def one(i: int) -> None:
        r = await s.call_tool("echo", {"message": messages[i]})
        results[i] = dump(r)

    async with anyio.create_task_group() as tg:
        for i in range(n):
            tg.start_soon(one, i)
    matched = sum(
        1
        for i, r in enumerate(results)
        if r is not None and r["content"][0]["text"] == f"Echo: {messages[i]}"
    )
    obs.steps.append({"concurrent": n, "matched": matched, "results": results})


async def everything_cancel(obs: Observer, s: ClientSession) -> None:
    # The SDK uses its next request id for the call below; the cancellation names it.
    request_id = s._request_id  # noqa: SLF001 (the 1.x client exposes no public way)
    started = anyio.Event()

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        started.set()

    outcome: dict[str, Any] = {"call": "trigger-long-running-operation", "label": "cancelled"}

    async def long_call(scope: anyio.CancelScope) -> None:
        with scope:
            await s.call_tool(
                "trigger-long-running-operation",
                {"duration": 4, "steps": 8},
                progress_callback=on_progress,
            )
            outcome["completed"] = True

    scope = anyio.CancelScope()
    async with anyio.create_task_group() as tg:
        tg.start_soon(long_call, scope)
        with anyio.fail_after(30):
            await started.wait()
        await s.send_notification(
            types.ClientNotification(
                types.CancelledNotification(
                    params=types.CancelledNotificationParams(
                        requestId=request_id, reason="the user pressed stop"
                    )
                )
            )
        )
        scope.cancel()
    outcome["cancelled"] = scope.cancel_called and "completed" not in outcome
    obs.steps.append(outcome)
    # The session goes on working after a cancellation.
    await obs.call(s, "echo", {"message": "after the cancellation"})
    # Outlive the cancelled operation, so anything the server still sends for it arrives
    # while the session is open (and the shim has seen the whole exchange).
    await anyio.sleep(4.5)
    await obs.call(s, "echo", {"message": "after the cancelled operation would have ended"})


def task_summary(task: types.Task) -> dict[str, Any]:
    # The id and the times change from run to run; the shape and the status do not.
    assert task.taskId and task.createdAt
    return {"status": task.status}


def without_task_ids(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: "<task id>" if k == "taskId" else without_task_ids(v) for k, v in value.items()
        }
    if isinstance(value, list):
        return [without_task_ids(v) for v in value]
    return value


async def everything_task(obs: Observer, s: ClientSession) -> None:
    # A task-augmented call (2025-11-25 tasks): created, polled until it ends, fetched.
    created = await s.experimental.call_tool_as_task(
        "simulate-research-query", {"topic": "metering"}
    )
    step: dict[str, Any] = {"task": "simulate-research-query", "created": task_summary(created.task)}
    task_id = created.task.taskId
    with anyio.fail_after(60):
        while True:
            state = await s.experimental.get_task(task_id)
            if state.status in ("completed", "failed", "cancelled"):
                break
            await anyio.sleep(0.2)
    step["ended"] = task_summary(state)
    result = await s.experimental.get_task_result(task_id, types.CallToolResult)
    step["result"] = without_task_ids(dump(result))
    obs.steps.append(step)
    await obs.call(s, "echo", {"message": "after the task"})


async def everything_task_cancel(obs: Observer, s: ClientSession) -> None:
    # A task cancelled by the client while it runs.
    created = await s.experimental.call_tool_as_task(
        "simulate-research-query", {"topic": "cancelled research"}
    )
    cancelled = await s.experimental.cancel_task(created.task.taskId)
    obs.steps.append(
        {
            "task": "simulate-research-query",
            "created": task_summary(created.task),
            "cancel": task_summary(cancelled),
        }
    )
    await obs.call(s, "echo", {"message": "after the cancelled task"})


# Scenarios against mcp-server-time.

async def time_scenario(obs: Observer, s: ClientSession) -> None:
    await list_tools(obs, s)
    await obs.call(s, "get_current_time", {"timezone": "UTC"}, normalize=normalize_time)
    await obs.call(
        s, "get_current_time", {"timezone": "Asia/Tokyo"}, normalize=normalize_time
    )
    await obs.call(
        s,
        "convert_time",
        {"source_timezone": "UTC", "time": "14:30", "target_timezone": "Asia/Kolkata"},
        normalize=normalize_time,
    )
    await obs.call(
        s,
        "get_current_time",
        {"timezone": "Not/AZone"},
        label="bad-timezone",
        normalize=normalize_time,
    )


SCENARIOS = {
    "everything-tools": everything_tools,
    "everything-echo-add": everything_echo_add,
    "everything-errors": everything_errors,
    "everything-progress": everything_progress,
    "everything-sampling": everything_sampling,
    "everything-elicitation": everything_elicitation,
    "everything-roots": everything_roots,
    "everything-large": everything_large,
    "everything-concurrent": everything_concurrent,
    "everything-cancel": everything_cancel,
    "everything-task": everything_task,
    "everything-task-cancel": everything_task_cancel,
    "time": time_scenario,
}


async def run(scenario: str, command: list[str]) -> dict[str, Any]:
    obs = Observer()
    doc: dict[str, Any] = {"scenario": scenario}
    params = StdioServerParameters(command=command[0], args=command[1:])
    try:
        async with stdio_client(params) as (read, write):
            async with ClientSession(
                read,
                write,
                sampling_callback=obs.sampling,
                elicitation_callback=obs.elicitation,
                list_roots_callback=obs.roots,
                logging_callback=obs.logging,
                client_info=types.Implementation(name="mcpbill-peer-driver", version="1"),
            ) as session:
                with anyio.fail_after(120):
                    init = await session.initialize()
                    doc["initialize"] = init_summary(init)
                    if scenario.startswith("everything-"):
                        # server-everything asks for the client's roots once initialized;
                        # wait for that so every run records it at the same place.
                        await obs.roots_requested.wait()
                    await SCENARIOS[scenario](obs, session)
    except Exception as e:  # noqa: BLE001 (reported in the document)
        doc["exception"] = describe(e)
    doc["steps"] = obs.steps
    doc["progress"] = obs.progress
    doc["server_requests"] = obs.server_requests
    return doc


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] not in SCENARIOS or "--" not in argv or argv[-1] == "--":
        names = ", ".join(SCENARIOS)
        print(f"usage: driver.py SCENARIO -- COMMAND [ARGS...]\nscenarios: {names}", file=sys.stderr)
        return 2
    command = argv[argv.index("--") + 1 :]
    doc = asyncio.run(run(argv[1], command))
    json.dump(doc, sys.stdout, indent=1, sort_keys=True, ensure_ascii=False)
    sys.stdout.write("\n")
    return 1 if "exception" in doc else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
