"""The shopping assistant: one box for searches and commands, routed to tools, with a memory."""
