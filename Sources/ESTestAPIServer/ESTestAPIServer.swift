// An in-memory Kubernetes API server over HTTPS for tests and local development.
