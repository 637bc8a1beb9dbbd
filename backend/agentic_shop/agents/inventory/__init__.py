"""The inventory agent: whether the colors and size a shopper cares about are in stock (workshop 7)."""
