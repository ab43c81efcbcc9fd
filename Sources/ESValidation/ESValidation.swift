// Upstream ESO's validation rules for ExternalSecret, SecretStore and ClusterSecretStore.
