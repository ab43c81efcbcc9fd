// Tests for ESHTTP live in this target.
