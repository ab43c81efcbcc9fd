// Tests for ESYAML live in this target.
