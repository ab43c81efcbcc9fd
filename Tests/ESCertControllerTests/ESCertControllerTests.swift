// Tests for ESCertController live in this target.
