"""codereuse: cli."""
