// X.509 material with OpenSSL: key and certificate generation, PEM I/O, inspection, chain checks.
