"""Normalisation shared by the peer drivers (no MCP imports, so both SDK generations use it)."""

from __future__ import annotations

import json
import re
from typing import Any


ISO_WITH_ZONE = re.compile(r"^\d{4}-\d{2}-\d{2}T(\d{2}:\d{2}):\d{2}([+-]\d{2}:\d{2}|Z)$")


def normalize_time(result: dict[str, Any]) -> dict[str, Any]:
    """Replace the date and the seconds (which change between runs) by placeholders after
    checking the shape; the zone, the hour and minute of a conversion, and DST stay."""

    def fix(value: Any, keep_minutes: bool) -> Any:
        if isinstance(value, dict):
            return {
                k: (
                    day(v)
                    if k == "day_of_week"
                    else fix(v, keep_minutes)
                )
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [fix(v, keep_minutes) for v in value]
        if isinstance(value, str):
            m = ISO_WITH_ZONE.match(value)
            if m:
                return f"<date>T{m.group(1) if keep_minutes else '<time>'}{m.group(2)}"
        return value

    def day(value: Any) -> Any:
        days = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
        return "<day>" if value in days else value

    result = dict(result)
    keep = "structuredContent" in result and "source" in result.get("structuredContent", {})
    contents = []
    for c in result.get("content", []):
        if c.get("type") == "text":
            try:
                parsed = json.loads(c["text"])
            except ValueError:
                contents.append(c)
                continue
            contents.append({"type": "text", "json": fix(parsed, "source" in parsed)})
        else:
            contents.append(c)
    result["content"] = contents
    if "structuredContent" in result:
        result["structuredContent"] = fix(result["structuredContent"], keep)
    return result
