# Pullwatch: `make run` builds and starts it, `make test` builds and runs every test,
# `make package` builds the Debian package into $(BUILD_DIR)/.
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)

.PHONY: all deps configure build run test package clean

all: build

deps:
	@scripts/install-deps.sh

# ccache, where installed, makes a second build directory (sanitizers, fuzzing) cheap.
CCACHE := $(shell command -v ccache 2>/dev/null)
CMAKE_LAUNCHER := $(if $(CCACHE),-DCMAKE_CXX_COMPILER_LAUNCHER=$(CCACHE))

$(BUILD_DIR)/build.ninja: | deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_LAUNCHER)

configure: deps $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	scripts/run.sh $(BUILD_DIR)/app/pullwatch

test: build
	scripts/install-browser-deps.sh
	QT_QPA_PLATFORM=offscreen ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

package: build
	cd $(BUILD_DIR) && cpack -G DEB

# Benchmarks against references measured in the same run: bench/run, bench/RESULTS.md.
.PHONY: bench
bench:
	bench/run

# The two commands above on a pristine Debian 12 root (debootstrap; needs root): one summary line.
.PHONY: fresh-check
fresh-check:
	scripts/fresh-debian-check.sh

clean:
	rm -rf $(BUILD_DIR)
