"""Shopper language, understood in one place: what a message asks for (route and slots) and what it
states about the shopper (facts). Memory extraction, the assistant's router and the agents all read
language through this package, so a phrasing learned once works everywhere."""
