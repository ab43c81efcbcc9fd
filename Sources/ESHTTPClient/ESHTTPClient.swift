// Outbound HTTP over libcurl: connection reuse, TLS options, streaming bodies, timeouts.
