"""Renderings of makertime's results: terminal (Rich), JSON, HTML."""
