"""The shop's LangGraph agents: personalization, review summarizer and the shopping assistant.

One folder per graph (graph, state, nodes, prompts); what they share lives next to them: the run context
and traces (`runtime`), the per-shopper cache (`cache`), how memories read as preferences (`profile`),
and the catalog vocabulary (`vocabulary`). Routes call `agentic_shop.services.agents`.
"""
