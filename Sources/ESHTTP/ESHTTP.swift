// HTTP/1.1 wire codec: incremental request parser (Content-Length and chunked) and response writer.
