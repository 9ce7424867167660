"""Route modules, one per page group: pages (asking), info (policy, sources), api (JSON)."""
