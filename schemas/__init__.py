"""codereuse: schemas."""
