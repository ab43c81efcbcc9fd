// The ExternalSecret and store reconcilers.
