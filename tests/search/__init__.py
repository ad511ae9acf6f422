"""Tests of the search backends: one contract suite for all, plus each backend's own."""
