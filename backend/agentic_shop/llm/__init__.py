"""The configured chat model (LLM_PROVIDER), or None for the offline engine."""

from agentic_shop.llm.client import ChatModel, LlmError, get_llm

__all__ = ["ChatModel", "LlmError", "get_llm"]
