// Runs one golden model through emlkit's runtime for the instruction-count benchmark:
// prepares it in an exactly sized arena, feeds record 0 of inputs.bin (golden seed 1), runs one
// warm-up Invoke from a reset state and checks its outputs against TFLM's (outputs.bin record 0:
// int8/int32 bytes identical, float within 1e-5 relative), then N Invokes with callgrind
// collection switched on around them only (run it under
// `valgrind --tool=callgrind --collect-atstart=no`), as TFLite Micro's figures in
// ../shared/golden/TFLM_FIGURES.md were measured. Every Invoke must return kOk, so a count can
// never come from a run that stopped early. Prints one line:
//   <arena_bytes> <persistent_bytes> <N>
// Exit 1 (message on stderr) when Init or an Invoke fails or the outputs differ from TFLM's.
// Built twice: runtime_bench (the host library, x86 variants) and runtime_bench_portable (the
// portable kernels firmware runs).
// Usage: runtime_bench GOLDEN_MODEL_DIR [N]
#include <valgrind/callgrind.h>

#include <algorithm>
#include <cmath>
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

// Index of the first element of `view` that differs from `want` (the golden standard: float32
// within 1e-5 relative, every other type byte for byte), or -1.
int64_t FirstDifference(const emlkit::rt::TensorView& view, const uint8_t* want) {
  const auto* got = static_cast<const uint8_t*>(view.data);
  if (view.type != emlkit::rt::TensorType::kFloat32) {
    for (uint32_t i = 0; i < view.bytes; ++i) {
      if (got[i] != want[i]) return i;
    }
    return -1;
  }
  for (uint32_t i = 0; i < view.bytes / 4; ++i) {
    float a, b;
    std::memcpy(&a, got + 4 * i, 4);
    std::memcpy(&b, want + 4 * i, 4);
    if (!(std::fabs(a - b) <= 1e-5f * std::max(std::fabs(a), std::fabs(b)) + 1e-6f)) return i;
  }
  return -1;
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
  const std::vector<uint8_t> outputs = ReadAll(dir + "/outputs.bin");
  if (model.empty() || inputs.empty() || outputs.empty()) {
    std::fprintf(stderr, "runtime_bench: %s has no model.tflite/inputs.bin/outputs.bin\n",
                 dir.c_str());
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
  size_t in_record = 0;
  for (const auto& v : in) in_record += v.bytes;
  std::vector<emlkit::rt::TensorView> out(static_cast<size_t>(interp.num_outputs()));
  size_t out_record = 0;
  for (int32_t i = 0; i < interp.num_outputs(); ++i) {
    interp.Output(i, &out[i]);
    out_record += out[i].bytes;
  }
  if (inputs.size() < in_record || outputs.size() < out_record) {
    std::fprintf(stderr, "runtime_bench: %s: inputs.bin/outputs.bin smaller than one record\n",
                 dir.c_str());
    return 1;
  }
  auto failed = [&](const char* when) {
    std::fprintf(stderr, "runtime_bench: %s: Invoke failed (%s): %s (op %d)\n", dir.c_str(), when,
                 interp.error().what, interp.error().op_index);
    return 1;
  };
  interp.ResetState();
  set_inputs();
  if (interp.Invoke() != emlkit::rt::Status::kOk) return failed("warm-up");
  size_t off = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    const int64_t d = FirstDifference(out[i], outputs.data() + off);
    if (d >= 0) {
      std::fprintf(stderr,
                   "runtime_bench: %s: output %zu differs from TFLM's first at element %lld\n",
                   dir.c_str(), i, static_cast<long long>(d));
      return 1;
    }
    off += out[i].bytes;
  }
  int bad = 0;
  for (int i = 0; i < n; ++i) {
    set_inputs();
    CALLGRIND_TOGGLE_COLLECT;
    const emlkit::rt::Status s = interp.Invoke();
    CALLGRIND_TOGGLE_COLLECT;
    bad += s != emlkit::rt::Status::kOk;
  }
  if (bad > 0) return failed("measured");
  std::printf("%zu %zu %d\n", exact, interp.persistent_bytes(), n);
  return 0;
}
