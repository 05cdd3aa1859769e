"""Notes and sources: footnote markers and bodies, citations (GB/T 7714 and others), figures with their data sources."""
