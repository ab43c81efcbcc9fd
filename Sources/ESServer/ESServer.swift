// The epoll-driven HTTPS server: connections, limits, routing, health and metrics listeners.
