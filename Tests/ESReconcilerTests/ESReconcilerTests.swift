// Tests for ESReconciler live in this target.
