// Tests for ESCertificates live in this target.
