// Runs one golden model through emlkit's runtime for the instruction-count benchmark:
// prepares it in an exactly sized arena, feeds record 0 of inputs.bin (golden seed 1), runs one
// warm-up Invoke, then N Invokes with callgrind collection switched on around them only (run it
// under `valgrind --tool=callgrind --collect-atstart=no`), as TFLite Micro's figures in
// ../shared/golden/TFLM_FIGURES.md were measured. Prints one line:
//   <arena_bytes> <persistent_bytes> <N>
// Usage: runtime_bench GOLDEN_MODEL_DIR [N]
#include <valgrind/callgrind.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "emlkit/runtime.h"

namespace {

std::vector<uint8_t> ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), {});
}

uint8_t* Aligned(std::vector<uint8_t>& v) {
  return v.data() + (16 - reinterpret_cast<uintptr_t>(v.data()) % 16) % 16;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: runtime_bench GOLDEN_MODEL_DIR [N]\n");
    return 2;
  }
  const std::string dir = argv[1];
  const int n = argc > 2 ? std::atoi(argv[2]) : 10;
  const std::vector<uint8_t> model = ReadAll(dir + "/model.tflite");
  const std::vector<uint8_t> inputs = ReadAll(dir + "/inputs.bin");
  if (model.empty() || inputs.empty()) {
    std::fprintf(stderr, "runtime_bench: %s has no model.tflite/inputs.bin\n", dir.c_str());
    return 2;
  }
  emlkit::rt::Interpreter interp;
  std::vector<uint8_t> arena;
  size_t size = 1 << 16;
  for (;;) {
    arena.assign(size + 16, 0);
    const emlkit::rt::Status s = interp.Init(model.data(), model.size(), Aligned(arena), size);
    if (s == emlkit::rt::Status::kOk) break;
    if (s != emlkit::rt::Status::kArenaTooSmall || size > (size_t{1} << 30)) {
      std::fprintf(stderr, "runtime_bench: %s: %s (op %d, tensor %d)\n", dir.c_str(),
                   interp.error().what, interp.error().op_index, interp.error().tensor);
      return 1;
    }
    size = std::max<size_t>(size * 2, interp.error().needed);
  }
  const size_t exact = interp.arena_bytes();
  arena.assign(exact + 16, 0);
  if (interp.Init(model.data(), model.size(), Aligned(arena), exact) != emlkit::rt::Status::kOk) {
    std::fprintf(stderr, "runtime_bench: exact arena failed\n");
    return 1;
  }
  // Record 0 is copied in before every Invoke (the planner may reuse input memory), outside the
  // measured region.
  std::vector<emlkit::rt::TensorView> in(static_cast<size_t>(interp.num_inputs()));
  for (int32_t i = 0; i < interp.num_inputs(); ++i) interp.Input(i, &in[i]);
  auto set_inputs = [&] {
    size_t off = 0;
    for (const auto& v : in) {
      std::memcpy(v.data, inputs.data() + off, v.bytes);
      off += v.bytes;
    }
  };
  interp.ResetState();
  set_inputs();
  interp.Invoke();  // warm-up
  for (int i = 0; i < n; ++i) {
    set_inputs();
    CALLGRIND_TOGGLE_COLLECT;
    interp.Invoke();
    CALLGRIND_TOGGLE_COLLECT;
  }
  std::printf("%zu %zu %d\n", exact, interp.persistent_bytes(), n);
  return 0;
}
