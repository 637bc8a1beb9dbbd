"""Turning what a shopper says into facts: offline rules and the LLM-backed pipeline."""
