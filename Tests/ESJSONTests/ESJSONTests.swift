// Tests for ESJSON live in this target.
