# emlkit — the two commands that matter:
#   make demo    the main job: installs the build packages if missing, builds, runs the demo
#   make test    installs the test packages if missing, builds, runs the whole suite (ctest)
# Others: make (build), make asan, make fuzz, make cross, make format, make bench, make clean.
# `make TARGET=emlkit` builds one CMake target only.
BUILD      ?= build
JOBS       ?= $(shell nproc)
FUZZ_SECS  ?= 60
CMAKE_ARGS ?=
TARGET     ?=

.PHONY: all build configure test demo bootstrap bootstrap-build asan fuzz cross format \
        format-check bench clean
# A recipe that fails or is interrupted removes the file it was making, so the next make runs it
# again instead of taking a half-made file as done.
.DELETE_ON_ERROR:

all: build

bootstrap:
	scripts/bootstrap

bootstrap-build:
	scripts/bootstrap --build

# Configured means CMake *generated* the build files: it writes $(BUILD)/Makefile last, so a
# configure that failed or was interrupted (which can leave CMakeCache.txt behind) is re-run by
# the next make, whatever the target.
configure: $(BUILD)/Makefile
$(BUILD)/Makefile:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_ARGS) || { \
	  echo "make: configuring $(BUILD)/ failed. If CMake names a missing package, run" \
	       "'scripts/bootstrap --build' (as root or with sudo), then make again." >&2; exit 1; }

build: $(BUILD)/Makefile
	cmake --build $(BUILD) -j $(JOBS) $(if $(TARGET),--target $(TARGET))

test: bootstrap
	$(MAKE) build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

demo: bootstrap-build
	$(MAKE) build TARGET=emlkit
	scripts/demo

# AddressSanitizer + UndefinedBehaviorSanitizer build of the whole suite. Every run configures
# (with its own options), so a failed configure never sticks.
asan:
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEMLKIT_SANITIZE=address,undefined $(CMAKE_ARGS)
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) -LE "slow|device|build"

# libFuzzer targets (clang), each run for FUZZ_SECS seconds from its seed corpus.
fuzz:
	CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DEMLKIT_FUZZ=ON -DEMLKIT_BUILD_TESTS=OFF -DEMLKIT_SANITIZE=address,undefined $(CMAKE_ARGS)
	cmake --build build-fuzz -j $(JOBS) --target fuzzers
	scripts/run-fuzzers build-fuzz/fuzz $(FUZZ_SECS)

# The device runtime cross-compiled for Cortex-M4F, checked for heap symbols (build-cross/ is made
# anew on every run).
cross:
	scripts/check-runtime-cross

format:
	git ls-files '*.cc' '*.h' | xargs clang-format -i

format-check:
	git ls-files '*.cc' '*.h' | xargs clang-format --dry-run --Werror

bench:
	scripts/bootstrap --bench
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DEMLKIT_BUILD_BENCH=ON -DEMLKIT_BUILD_TESTS=OFF
	cmake --build build-bench -j $(JOBS)
	bench/run-all

clean:
	rm -rf build build-asan build-fuzz build-bench build-cross
