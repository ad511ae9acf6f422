"""codereuse: schemas/publiccode."""
