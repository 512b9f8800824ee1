# CTVMS build and test commands. Run `make help` for the list.

GO        ?= go
SYSTEM_PACKAGES = gcc libc6-dev pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev \
	libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev poppler-utils
STATICCHECK_VERSION = v0.8.2
export LANG = C.UTF-8

.PHONY: help deps run test vet staticcheck build

help:
	@echo "make run    install missing system packages, then start CTVMS on a demo office"
	@echo "make test   run go vet, staticcheck and every test"
	@echo "make build  build the ctvms binary"

# deps installs the C headers Fyne needs and poppler-utils (for the PDF
# tests) when any is missing. It uses sudo when not run as root.
deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y --no-install-recommends $$missing; \
	fi

run: deps
	$(GO) run . -demo

build: deps
	$(GO) build -o ctvms .

vet:
	$(GO) vet ./...

staticcheck:
	@command -v staticcheck >/dev/null 2>&1 || $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	PATH="$$PATH:$$($(GO) env GOPATH)/bin" staticcheck ./...

test: deps vet staticcheck
	$(GO) test -count=1 ./...
