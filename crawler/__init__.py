"""codereuse: crawler."""
