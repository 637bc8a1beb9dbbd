"""Review summarizer: a product's reviews -> feature sentiment -> a focus for this shopper -> a summary."""
