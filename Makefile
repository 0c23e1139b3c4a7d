# Pullwatch: `make run` builds and starts it, `make test` builds and runs every test,
# `make package` builds the Debian package into $(BUILD_DIR)/, `make test-sanitize` runs the
# suite under ASan+UBSan, `make fuzz` runs the libFuzzer targets.
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

# The chaos soak for MINUTES minutes (tests/soak; CTest runs a 3-minute version).
MINUTES ?= 30
.PHONY: soak
soak: configure
	nice cmake --build $(BUILD_DIR) -j $(JOBS) --target tst_soak pullwatch
	SOAK_SECONDS=$$(($(MINUTES) * 60)) QTEST_FUNCTION_TIMEOUT=$$(($(MINUTES) * 60000 + 600000)) \
		QT_QPA_PLATFORM=offscreen \
		PULLWATCH_BINARY=$(BUILD_DIR)/app/pullwatch $(BUILD_DIR)/tests/tst_soak

# The suite built Debug with AddressSanitizer and UndefinedBehaviorSanitizer (any report
# fails the test) in its own build directory; the GUI, browser, benchmark and packaging
# tests are left to `make test`.
SANITIZE_DIR ?= build-sanitize
# GCC's -Wmaybe-uninitialized gives false positives under the sanitizers' instrumentation (a
# pointer-to-member call in kube/kubeinformer.cpp, with CI's -Werror); the Release build of
# `make test` keeps the warning.
SANITIZE_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	-Wno-maybe-uninitialized
SANITIZE_ENV = ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=0:fast_unwind_on_malloc=0 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitize/lsan.supp:print_suppressions=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 QT_QPA_PLATFORM=offscreen
.PHONY: test-sanitize
test-sanitize: | deps
	cmake -S . -B $(SANITIZE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug \
		-DCMAKE_CXX_FLAGS="$(SANITIZE_FLAGS)" \
		-DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
		-DPULLWATCH_WITHOUT="ui;web;bench;installer" -DPULLWATCH_TEST_TIMEOUT_SCALE=4
	nice cmake --build $(SANITIZE_DIR) -j $(JOBS)
	$(SANITIZE_ENV) ctest --test-dir $(SANITIZE_DIR) --output-on-failure -j $(JOBS) \
		--timeout 900 -LE 'soak|gui|timing' $(CTEST_ARGS)

# libFuzzer targets (tests/fuzz) with ASan+UBSan, built by clang in their own directory, each
# run for FUZZ_SECONDS from its seed corpus.
FUZZ_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_CXX ?= clang++-14
FUZZ_CC ?= clang-14
.PHONY: fuzz
fuzz: | deps
	CC=$(FUZZ_CC) CXX=$(FUZZ_CXX) cmake -S . -B $(FUZZ_DIR) -G Ninja \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo -DPULLWATCH_FUZZ=ON
	nice cmake --build $(FUZZ_DIR) -j $(JOBS)
	scripts/run-fuzzers.sh $(FUZZ_DIR) $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_DIR) $(FUZZ_DIR)
