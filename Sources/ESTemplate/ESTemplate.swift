// Go text/template semantics with ESO's template function set.
