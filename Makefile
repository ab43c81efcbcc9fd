# The two commands a fresh machine needs: `make run` and `make test`.
SWIFT ?= swift
# The shipped binary links the Swift runtime and Foundation statically (only the code it runs is mapped,
# instead of whole shared libraries) and lays the request path's code out together (scripts/release-flags.sh).
RELEASE_FLAGS ?= -c release $(shell ./scripts/release-flags.sh)

.PHONY: run test build deps test-deps

deps:
	./scripts/install-deps.sh

test-deps:
	./scripts/install-deps.sh --test

build: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product external-secrets

# Runs the server on the embedded default: self-signed certificates under certs/, fake provider.
run: build
	$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/external-secrets serve --cert-dir certs

# Runs the whole test suite (installs the test servers it needs first): a release-build smoke test of the
# binary's main paths (optimized builds expose lifetime bugs debug builds hide), then every unit, integration
# and end-to-end test.
test: test-deps
	./scripts/smoke-release.sh
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
