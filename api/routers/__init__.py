"""One router per resource: software, forges, status, exports, stats, feeds, operations, pages."""
