"""Browser-like sessions over Streamlit's websocket, for the concurrency benchmark (bench/shared).

A session does what a browser's first visit does, without drawing: GET / (the balancer's sticky
cookie), open /_stcore/stream with that cookie, ask for a run of a page (BackMsg rerun_script) and
read ForwardMsgs until script_finished. A run counts as an error when it times out, the connection
fails, or the page shows an exception element. Each session opens its page, then reruns it.
"""
from __future__ import annotations

import asyncio
import statistics
import time
import urllib.request

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


def _cookie(base: str) -> str:
    with urllib.request.urlopen(base + "/", timeout=30) as r:
        return "; ".join(c.split(";")[0] for c in r.headers.get_all("Set-Cookie") or [])


async def _run(ws, page: str, timeout: float) -> tuple[float, str | None]:
    msg = BackMsg()
    msg.rerun_script.query_string = ""
    msg.rerun_script.page_name = page
    started = time.perf_counter()
    await ws.send(msg.SerializeToString())
    error = None
    while True:
        data = await asyncio.wait_for(ws.recv(), timeout=max(0.1, timeout - (time.perf_counter() - started)))
        fwd = ForwardMsg()
        fwd.ParseFromString(data)
        kind = fwd.WhichOneof("type")
        if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element" \
                and fwd.delta.new_element.WhichOneof("type") == "exception":
            error = error or f"exception: {fwd.delta.new_element.exception.message[:120]}"
        if kind == "script_finished" and fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            return (time.perf_counter() - started) * 1000, error


async def session(base: str, page: str, reruns: int, timeout: float, results: list, deadline: float) -> None:
    ws_url = base.replace("http://", "ws://") + "/_stcore/stream"
    try:
        cookie = await asyncio.to_thread(_cookie, base)
        # ping_interval=None: a browser answers the server's pings but sends none of its own; the
        # library's default (a ping every 20 s, closed after 20 s without a pong) failed sessions
        # whose page was still running, which no browser does
        async with websockets.connect(ws_url, subprotocols=["streamlit"], additional_headers={"Cookie": cookie},
                                      max_size=None, open_timeout=timeout, ping_interval=None) as ws:
            for n in range(reruns + 1):
                if time.perf_counter() > deadline:
                    return
                ms, error = await _run(ws, page, timeout)
                results.append({"page": page, "first": n == 0, "ms": ms, "error": error,
                                "server": cookie.split("ITA_APP=")[-1].split(";")[0] if "ITA_APP=" in cookie else ""})
    except Exception as e:  # a failed session is a figure of the benchmark, not its end
        results.append({"page": page, "first": True, "ms": None, "error": f"{type(e).__name__}: {e}"[:160],
                        "server": ""})


def run_sessions(base: str, pages: list[str], sessions: int, reruns: int, timeout: float, bound_s: float) -> dict:
    """`sessions` sessions at once (page i % len(pages)), each opening its page then `reruns` reruns;
    nothing starts after `bound_s` seconds. Returns the figures."""
    results: list[dict] = []

    async def main():
        deadline = time.perf_counter() + bound_s
        await asyncio.gather(*(session(base, pages[i % len(pages)], reruns, timeout, results, deadline)
                               for i in range(sessions)))

    started = time.perf_counter()
    asyncio.run(main())
    wall = time.perf_counter() - started
    ok = [r["ms"] for r in results if r["ms"] is not None and not r["error"]]
    firsts = [r["ms"] for r in results if r["first"] and r["ms"] is not None and not r["error"]]
    reruns_ok = [r["ms"] for r in results if not r["first"] and r["ms"] is not None and not r["error"]]

    def pct(values, q):
        return round(statistics.quantiles(values, n=100)[q - 1], 1) if len(values) >= 2 else \
            (round(values[0], 1) if values else None)

    return {"sessions": sessions, "runs": len(results), "errors": sum(1 for r in results if r["error"]),
            "error_samples": sorted({r["error"] for r in results if r["error"]})[:5],
            "wall_s": round(wall, 1), "p50_ms": pct(ok, 50), "p95_ms": pct(ok, 95),
            "first_p50_ms": pct(firsts, 50), "first_p95_ms": pct(firsts, 95),
            "rerun_p50_ms": pct(reruns_ok, 50), "rerun_p95_ms": pct(reruns_ok, 95),
            "per_server": {s: sum(1 for r in results if r["server"] == s) for s in {r["server"] for r in results}}}
