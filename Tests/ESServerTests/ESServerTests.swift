// Tests for ESServer live in this target.
