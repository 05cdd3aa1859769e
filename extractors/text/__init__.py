"""Text: normalization with an offset map, sentence splitting, and the only place NLP models are loaded."""
