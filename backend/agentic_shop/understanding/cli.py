"""`shop nlu`: train the language engine, measure it on the corpus, try a message."""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

nlu_app = typer.Typer(help="The offline language engine: train, evaluate, try.", no_args_is_help=True)

# The targets on the test split (issue 11), printed next to the measured numbers.
TARGETS = {"route_accuracy": 0.95, "slot_f1": 0.90, "nothing_to_store": 0.98}


@nlu_app.command("train")
def train() -> None:
    """Train on the corpus's train and dev splits and write the artefacts (backend/.../assets).
    Needs torch and the model's float weights: `make nlu-train` installs them, then runs this."""
    from agentic_shop.understanding import corpus, training
    from agentic_shop.understanding.model import MANIFEST_PATH, WEIGHTS_PATH

    items, words = corpus.load(), corpus.training_vocabulary()
    with _scratch() as scratch:
        on_train = training.train(corpus.select(items, "train"), words, scratch / "model.onnx")
        dev = _report(on_train, corpus.select(items, "dev"), words)
    typer.echo(f"dev split, trained on train alone: {json.dumps(dev.metrics())}")
    with _scratch() as scratch:
        model = training.train(corpus.select(items, "train", "dev"), words, scratch / "model.onnx")
        manifest = model.save(corpus.corpus_sha256(), {"dev": dev.metrics()})
    typer.echo(f"wrote {WEIGHTS_PATH.name} (sha256 {manifest['sha256'][:12]}…) and {MANIFEST_PATH.name}")


@nlu_app.command("eval")
def evaluate(
    split: Annotated[str, typer.Option(help="test: the shipped model; dev: one trained on train.")] = "test",
    engine: Annotated[str, typer.Option(help="offline, or llm (the configured LLM).")] = "offline",
    mistakes: Annotated[int, typer.Option(help="Print this many mistakes.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON.")] = False,
) -> None:
    """Route accuracy, fact-category accuracy, slot F1 and nothing-to-store on a corpus split."""
    from agentic_shop.understanding import corpus, evaluation, training
    from agentic_shop.understanding.model import load_model

    if split not in corpus.SPLITS:
        raise typer.BadParameter(f"split must be one of {', '.join(corpus.SPLITS)}")
    items, words = corpus.load(), corpus.training_vocabulary()
    chosen = corpus.select(items, split)
    if engine == "llm":
        from agentic_shop.llm.client import get_llm

        llm = get_llm()
        if llm is None:
            raise typer.BadParameter("no LLM is configured (LLM_PROVIDER is offline)")
        report = evaluation.evaluate(chosen, evaluation.llm_reader(llm, words))
    elif engine == "offline" and split == "test":
        report = _report(load_model(), chosen, words)
    elif engine == "offline":
        with _scratch() as scratch:
            report = _report(
                training.train(corpus.select(items, "train"), words, scratch / "model.onnx"), chosen, words
            )
    else:
        raise typer.BadParameter("engine must be offline or llm")
    metrics = report.metrics()
    if as_json:
        metrics |= report.timing
        typer.echo(json.dumps(metrics, indent=2))
        return
    typer.echo(f"{engine} engine on the {split} split ({metrics['messages']} messages)")
    for name, value in metrics.items():
        target = TARGETS.get(name)
        verdict = "" if target is None else ("  ok" if value >= target else f"  below target {target:.0%}")
        shown = value if name == "messages" else f"{value:.1%}"
        typer.echo(f"  {name:<24} {shown}{verdict}")
    if report.timing:
        typer.echo(f"  per message: p50 {report.timing['ms_p50']} ms, p95 {report.timing['ms_p95']} ms")
    typer.echo(report.table())
    for line in report.mistakes[:mistakes]:
        typer.echo(f"  - {line}")


@nlu_app.command("try")
def try_message(
    message: str,
    product: Annotated[str | None, typer.Option(help="Category of the product page open.")] = None,
) -> None:
    """What the offline engine reads in one message (route, slots, facts)."""
    from agentic_shop.understanding import corpus
    from agentic_shop.understanding.engine import understand

    reading = understand(message, corpus.training_vocabulary(), product_category=product)
    slots = {key: value for key, value in reading.slots.items() if value not in (None, [], "")}
    typer.echo(f"route: {reading.route} ({reading.confidence:.0%})")
    typer.echo(f"slots: {json.dumps(slots, ensure_ascii=False)}")
    for fact in reading.facts:
        typer.echo(
            f"fact:  {fact.text}  [{fact.category}, {fact.polarity}, {list(fact.values)}, {fact.scope}]"
        )


@contextmanager
def _scratch() -> Iterator[Path]:
    """A folder for a model trained on the way (a clear message when torch is missing)."""
    from agentic_shop.understanding.finetune import TrainingDependencyMissing, require

    try:
        require()  # before minutes of embedding the corpus
    except TrainingDependencyMissing as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


def _report(model: Any, items: list, words: Any):
    from agentic_shop.understanding import evaluation
    from agentic_shop.understanding.engine import understand

    timings: list[float] = []

    def read(item):
        started = time.perf_counter()
        reading = understand(item.text, words, product_category=item.product, model=model)
        timings.append((time.perf_counter() - started) * 1000)
        return reading.route, reading.slots, list(reading.facts)

    report = evaluation.evaluate(items, read)
    timings.sort()
    report.timing = {
        "ms_p50": round(timings[len(timings) // 2], 1),
        "ms_p95": round(timings[int(len(timings) * 0.95)], 1),
    }
    return report
