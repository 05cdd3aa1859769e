"""Loading: bytes of a PDF, Markdown, HTML or text file (or a feed) -> pages of raw text with layout."""
