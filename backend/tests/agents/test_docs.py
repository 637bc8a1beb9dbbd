"""docs/agents.md draws every node of every graph, so the pictures cannot drift from the code."""

from agentic_shop.agents.assistant.graph import build_assistant_graph
from agentic_shop.agents.personalization.graph import personalization_graph
from agentic_shop.agents.review_summarizer.graph import review_summarizer_graph
from agentic_shop.settings import REPO_ROOT


def test_every_node_is_in_the_docs():
    doc = (REPO_ROOT / "docs" / "agents.md").read_text()
    mermaid = "\n".join(block.split("```")[0] for block in doc.split("```mermaid")[1:])
    for graph in (personalization_graph(), review_summarizer_graph(), build_assistant_graph().compile()):
        for name in graph.get_graph().nodes:
            if not name.startswith("__"):
                assert f" {name};" in mermaid or f"> {name};" in mermaid, name
