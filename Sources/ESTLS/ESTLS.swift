// TLS server contexts with OpenSSL: protocol floor, AEAD suites, ALPN, certificate hot reload.
