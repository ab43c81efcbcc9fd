// Tests for ESAPI live in this target.
