// Go RE2-compatible regular expressions: syntax checking with Go's error messages, matching, replacement.
