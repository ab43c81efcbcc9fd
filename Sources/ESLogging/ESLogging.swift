// Structured logging: a swift-log handler that writes JSON lines (or text), never request bodies.
