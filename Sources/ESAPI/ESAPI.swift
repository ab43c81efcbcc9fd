// The external-secrets.io API types (v1, v1beta1) decoded from JSON/YAML with field paths.
