"""Claims and entities: the check-worthiness gate, claim kinds and named entities."""
