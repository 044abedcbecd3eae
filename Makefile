# Frontline: `make run` to install what is missing, build and open the app; `make test` for
# every test. Works on a fresh Debian 12 / Ubuntu machine with Rust and Node.js.
SHELL := /bin/bash
.ONESHELL:
.SHELLFLAGS := -eu -o pipefail -c

BUILD_PACKAGES := libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev \
	libayatana-appindicator3-dev librsvg2-dev pkg-config
TEST_PACKAGES := xvfb xauth webkit2gtk-driver dbus dbus-x11 xdotool x11-utils imagemagick \
	fonts-dejavu-core procps postgresql desktop-file-utils libglib2.0-bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint build ui system-deps test-system-deps node-deps bindings bench chaos clean hub \
	package package-test

run: system-deps build
	@echo "Starting Frontline (data in $${FRONTLINE_DATA_DIR:-~/.local/share/frontline})"
	if [ -z "$${DBUS_SESSION_BUS_ADDRESS:-}" ] && command -v dbus-run-session >/dev/null; then
		exec dbus-run-session -- ./target/debug/frontline
	else
		exec ./target/debug/frontline
	fi

test: system-deps test-system-deps build lint
	npm --workspace ui run typecheck
	npm --workspace ui run test
	cargo test --workspace --exclude frontline-bare-window --no-fail-fast

# Formatting and lints are part of the tests: a warning fails them (Rust: the lints in
# [workspace.lints]; the UI: ESLint with the rules of hooks and the JSX accessibility rules).
lint: node-deps
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --quiet -- -D warnings
	cargo clippy -p frontline --lib --bins --no-default-features --quiet -- -D warnings
	npm --workspace ui run lint

build: node-deps ui
	cargo build

ui: node-deps
	npm --workspace ui run build

# The Debian package (release build): target/release/bundle/deb/frontline_<version>_amd64.deb.
# The crates are fetched first; the build and the bundling then run offline (a .deb needs no
# downloaded tool, unlike an AppImage). Install it with `sudo apt install ./target/release/...deb`.
package: system-deps node-deps
	cargo fetch --locked
	CARGO_NET_OFFLINE=true npx tauri build --bundles deb --ci
	ls target/release/bundle/deb/*.deb

# Builds the package, installs it into this machine with apt, opens it from its desktop entry
# under Xvfb, and removes it again (CI runs it after `make test`; it needs root or sudo).
package-test: system-deps test-system-deps node-deps
	bash tests/package/run.sh

# Installs the Debian packages that are missing (and only those).
system-deps:
	@missing=$$(for p in $(BUILD_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done)
	if [ -n "$$missing" ]; then
		echo "Installing build packages: $$missing"
		$(SUDO) apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing
	fi

test-system-deps:
	@missing=$$(for p in $(TEST_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done)
	if [ -n "$$missing" ]; then
		echo "Installing test packages: $$missing"
		$(SUDO) apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing
	fi

node-deps: node_modules/.package-lock.json

node_modules/.package-lock.json: package-lock.json package.json ui/package.json
	npm ci --no-audit --no-fund
	touch $@

# Rewrites ui/src/shared/bindings.ts from the Rust types (a test fails when it is stale).
bindings:
	UPDATE_BINDINGS=1 cargo test -p frontline-core --test core bindings

# Benchmarks: criterion on 100,000 issues, then launch time and memory against a bare window.
bench: system-deps test-system-deps build
	cargo bench -p frontline-core --bench cache
	cargo bench -p frontline-core --bench sync
	cargo bench -p frontline-core --bench reports
	cargo bench -p frontline-hub --bench hub
	cargo bench -p frontline-hub --bench catch_up
	bash bench/app.sh

clean:
	cargo clean
	rm -rf ui/dist node_modules

# A local team hub for a demo: a PostgreSQL cluster in target/hub with a lead and two agents.
hub: test-system-deps
	cargo run -p frontline-hub -- demo --dir target/hub

# The full chaos run: 1,000 escalations, 20 SIGKILLs of the sync process (make test runs 100 × 8 in each mode).
chaos: system-deps
	CHAOS_ESCALATIONS=1000 CHAOS_KILLS=20 cargo test --test chaos -- --nocapture
