"""The one latency line every benchmark prints (p50, p95, max in ms)."""

import statistics


def summary(name: str, timings: list[float]) -> str:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (
        f"{name:34} n={len(ordered):<5} p50={statistics.median(ordered):6.1f} ms  p95={p95:6.1f} ms  "
        f"max={ordered[-1]:6.1f} ms"
    )
