// Tests for ESProviderAWS live in this target.
