// Tests for ESTemplate live in this target.
