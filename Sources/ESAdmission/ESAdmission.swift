// AdmissionReview handling: the validating and mutating webhooks.
