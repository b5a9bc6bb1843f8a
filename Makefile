# emlkit — the two commands that matter:
#   make demo    the main job: the whole workflow on simulated room data
#   make test    installs what is missing, builds, runs the whole suite (ctest)
# Others: make (build), make asan, make fuzz, make cross, make format, make bench, make clean.
BUILD      ?= build
JOBS       ?= $(shell nproc)
FUZZ_SECS  ?= 60
CMAKE_ARGS ?=

.PHONY: all build test demo bootstrap asan fuzz cross format format-check bench clean

all: build

bootstrap:
	scripts/bootstrap

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_ARGS)

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test: bootstrap
	$(MAKE) build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

demo: build
	scripts/demo

# AddressSanitizer + UndefinedBehaviorSanitizer build of the whole suite.
asan:
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEMLKIT_SANITIZE=address,undefined $(CMAKE_ARGS)
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) -LE slow

# libFuzzer targets (clang), each run for FUZZ_SECS seconds from its seed corpus.
fuzz:
	CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DEMLKIT_FUZZ=ON -DEMLKIT_BUILD_TESTS=OFF -DEMLKIT_SANITIZE=address,undefined $(CMAKE_ARGS)
	cmake --build build-fuzz -j $(JOBS) --target fuzzers
	scripts/run-fuzzers build-fuzz/fuzz $(FUZZ_SECS)

# The device runtime cross-compiled for Cortex-M4F, checked for heap symbols.
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
