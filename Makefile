# CTVMS build and test commands. Run `make help` for the list.

GO        ?= go
SYSTEM_PACKAGES = gcc libc6-dev pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev \
	libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev poppler-utils qpdf
STATICCHECK_VERSION = v0.8.2
FYNE_TOOL_VERSION = v1.7.4
GOBIN := $(shell $(GO) env GOPATH)/bin
export LANG = C.UTF-8

.PHONY: help deps run test vet staticcheck build package gallery bench

help:
	@echo "make run    install missing system packages, then start CTVMS on a demo office"
	@echo "make test   run go vet, staticcheck and every test"
	@echo "make build  build the ctvms binary"
	@echo "make package  build dist/CTVMS.tar.xz (binary, icon, desktop file) with the Fyne tool"
	@echo "make gallery  render every screen of a demo office into docs/gallery/"
	@echo "make bench  run the benchmarks at 10,000 and 100,000 customers (docs/BENCHMARKS.md)"

# deps installs the C headers Fyne needs, poppler-utils and qpdf (for the
# PDF tests) when any is missing. It uses sudo when not run as root.
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
	@unformatted="$$(gofmt -l .)"; if [ -n "$$unformatted" ]; then \
		echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

staticcheck:
	@command -v staticcheck >/dev/null 2>&1 || $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	PATH="$$PATH:$$($(GO) env GOPATH)/bin" staticcheck ./...

test: deps vet staticcheck
	$(GO) test -count=1 ./...

# package builds the Linux archive with the Fyne packaging tool, then checks
# that it holds the binary, the icon and the desktop file.
package: deps
	@test -x "$(GOBIN)/fyne" || $(GO) install fyne.io/tools/cmd/fyne@$(FYNE_TOOL_VERSION)
	"$(GOBIN)/fyne" package -os linux --release
	mkdir -p dist && mv CTVMS.tar.xz dist/
	@contents="$$(tar -tJf dist/CTVMS.tar.xz)"; \
	for f in usr/local/bin/ctvms usr/local/share/applications/com.ctvms.office.desktop \
		usr/local/share/pixmaps/com.ctvms.office.png; do \
		echo "$$contents" | grep -q "$$f" || { echo "dist/CTVMS.tar.xz lacks $$f"; exit 1; }; \
	done
	@echo "dist/CTVMS.tar.xz holds the binary, the desktop file and the icon"

# gallery renders every screen through Fyne's test driver, so it needs no
# display.
gallery:
	CTVMS_GALLERY=$(CURDIR)/docs/gallery $(GO) test -count=1 -run TestGallery ./ui/

# bench generates the databases of 10,000 and 100,000 customers once, in a
# temporary folder that the three packages share, and removes it at the
# end. Packages run one at a time so that they neither generate the same
# database twice nor slow each other down. Benchmarks that change the
# database copy it before each round, so they run one round per count.
BENCH_READS = DashboardFigures|SearchFirstPage|OpenToDashboard|CollectPayment|ReportFiles|CustomersScrollToEnd
BENCH_WRITES = BillingRun|StatusUpdater|YearRollover|QueueReminders
bench:
	@dir=$$(mktemp -d); trap 'rm -rf "$$dir"' EXIT; \
	CTVMS_BENCH_DATA=$$dir $(GO) test -p 1 -timeout 30m -run '^$$' -bench '$(BENCH_READS)' -benchmem -count 3 \
		./store ./store/service ./ui && \
	CTVMS_BENCH_DATA=$$dir $(GO) test -p 1 -timeout 30m -run '^$$' -bench '$(BENCH_WRITES)' -benchmem \
		-benchtime 1x -count 3 ./store ./store/service
