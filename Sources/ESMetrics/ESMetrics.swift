// Metrics: the Prometheus registry behind swift-metrics and the /metrics text exposition.
