// The Kubernetes API client: config, verbs, watch, informers, work queue, leader election.
