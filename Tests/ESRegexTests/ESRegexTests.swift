// Tests for ESRegex live in this target.
