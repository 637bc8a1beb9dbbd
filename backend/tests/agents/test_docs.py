"""docs/agents.md draws every graph, edge for edge, so the pictures cannot drift from the code."""

import re

from agentic_shop.agents.assistant.graph import build_assistant_graph
from agentic_shop.agents.inventory.graph import inventory_graph
from agentic_shop.agents.personalization.graph import personalization_graph
from agentic_shop.agents.review_summarizer.graph import review_summarizer_graph
from agentic_shop.settings import REPO_ROOT

_EDGE = re.compile(r"^\s*(\w+)(?:\(\[\w+\]\))?\s*(-->|-\.->)\s*(\w+)", re.M)


def test_every_edge_is_in_the_docs_and_no_other():
    doc = (REPO_ROOT / "docs" / "agents.md").read_text()
    mermaid = "\n".join(block.split("```")[0] for block in doc.split("```mermaid")[1:])
    drawn = {(source, target, arrow == "-.->") for source, arrow, target in _EDGE.findall(mermaid)}
    compiled = {
        (edge.source, edge.target, edge.conditional)
        for graph in (
            personalization_graph(),
            review_summarizer_graph(),
            build_assistant_graph().compile(),
            inventory_graph(),
        )
        for edge in graph.get_graph().edges
    }
    assert drawn == compiled
