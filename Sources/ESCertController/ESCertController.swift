// The cert-controller: issue, store, rotate and inject the webhook CA bundle.
