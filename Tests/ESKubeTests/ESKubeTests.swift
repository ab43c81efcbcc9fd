// Tests for ESKube live in this target.
