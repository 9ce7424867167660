"""Renderers: the same Answer as terminal text, Markdown or JSON."""
