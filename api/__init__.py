"""codereuse: api."""
