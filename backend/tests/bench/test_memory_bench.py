"""`shop bench memory` in a small size: it runs, and what it checks holds (recall, isolation)."""

from agentic_shop.bench.memory import run_memory_benchmark


def test_the_memory_benchmark_runs_and_finds_every_probe(engine):
    lines = list(run_memory_benchmark(engine, memories=300, shoppers=30, probes=20, adds=10, conversations=5))
    report = "\n".join(lines)
    assert "recall@5: 20/20 probes (100.0%); results of other shoppers: 0" in report
    for measured in ("search (top 5, with embedding)", "add (offline extraction)", "summarize 20 turns"):
        assert measured in report
