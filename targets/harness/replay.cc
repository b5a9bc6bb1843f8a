// Replay harness: runs the compiled-in model over every record of an input file and writes the
// outputs, so one emulator launch checks a whole data set (emlkit sim --emulate).
//
//   replay IN.bin OUT.bin RECORDS [--hook] [--flip-byte R] [--fault-at R] [--hang-at R]
//
// IN.bin holds, per record, the bytes of every model input in order (already in the tensors'
// types); OUT.bin receives, per record, the bytes of every output. Variable tensors are reset
// before each record, as the host does. Init and each Invoke are bracketed by marker calls the
// instruction-count plugin logs; --hook runs one more Invoke of record 0 with an op hook calling
// the op markers (per-operator counts). The last three options exist for tests: flip byte 0 of
// output 0 of record R, fault, or hang at record R. Exit codes: harness/exit_codes.h.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "emlkit/runtime.h"
#include "harness/exit_codes.h"
#include "harness/harness.h"
#ifdef EMLKIT_HARNESS_AOT
#include "harness/aot_model.h"
#endif

#if defined(__linux__)
#include <unistd.h>
#include <csignal>
#endif

namespace {

using emlkit::rt::Interpreter;
using emlkit::rt::Status;
using emlkit::rt::TensorView;

constexpr int kMaxTensors = 16;
#ifdef EMLKIT_HARNESS_AOT
emlkit::harness::AotModel g_interp;  // generated code (emlkit sim --format aot)
Status InitModel() { return g_interp.Init(); }
constexpr unsigned kArenaSize = EMLKIT_AOT_MODEL_ARENA_BYTES;
#else
Interpreter g_interp;
Status InitModel() {
  return g_interp.Init(emlkit_model_data, emlkit_model_size, emlkit_arena, emlkit_arena_size);
}
const unsigned kArenaSize = emlkit_arena_size;
#endif
TensorView g_ins[kMaxTensors], g_outs[kMaxTensors];  // static: off the measured stack

void OpHook(void*, int32_t, int32_t after) {
  if (after != 0) {
    emlkit_mark_op_end();
  } else {
    emlkit_mark_op_begin();
  }
}

int Fail(int code, const char* what, long record) {
  std::printf("emlkit-harness: %s (record %ld)\n", what, record);
  return code;
}

int ReportRuntimeError(int code, const char* during, Status s, long record) {
  const emlkit::rt::ErrorInfo& e = g_interp.error();
  std::printf("emlkit-harness: %s failed: %s: %s (op %d, record %ld, arena needed %lu of %u)\n",
              during, emlkit::rt::StatusName(s), e.what == nullptr ? "" : e.what,
              static_cast<int>(e.op_index), record, static_cast<unsigned long>(e.needed),
              kArenaSize);
  return code;
}

#if defined(__linux__)
void OnSignal(int) { _exit(EMLKIT_EXIT_FAULT); }
#endif

__attribute__((noinline)) void Fault() {
#if defined(__arm__)
  __asm__ volatile("udf #0");  // undefined instruction: HardFault (UsageFault)
#elif defined(__riscv)
  __asm__ volatile("unimp");  // illegal instruction trap
#else
  // An unmapped address the compiler cannot prove invalid (a null store may be optimized away).
  volatile uintptr_t bad = 8;
  *reinterpret_cast<volatile int*>(bad) = 1;
#endif
}

__attribute__((noinline)) void Hang() {
  for (;;) {
    __asm__ volatile("" ::: "memory");
  }
}

bool ReadRecord(FILE* in, const TensorView* views, int n) {
  for (int i = 0; i < n; ++i) {
    if (std::fread(views[i].data, 1, views[i].bytes, in) != views[i].bytes) return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
#if defined(__linux__)
  std::signal(SIGSEGV, OnSignal);
  std::signal(SIGILL, OnSignal);
  std::signal(SIGBUS, OnSignal);
  std::signal(SIGFPE, OnSignal);
  std::signal(SIGTRAP, OnSignal);
#endif
  if (argc < 4) return Fail(EMLKIT_EXIT_HARNESS, "usage: replay IN OUT RECORDS [options]", -1);
  const char* in_path = argv[1];
  const char* out_path = argv[2];
  const long records = std::strtol(argv[3], nullptr, 10);
  bool hook = false;
  long flip = -1, fault_at = -1, hang_at = -1;
  for (int a = 4; a < argc; ++a) {
    if (std::strcmp(argv[a], "--hook") == 0) {
      hook = true;
    } else if (a + 1 < argc && std::strcmp(argv[a], "--flip-byte") == 0) {
      flip = std::strtol(argv[++a], nullptr, 10);
    } else if (a + 1 < argc && std::strcmp(argv[a], "--fault-at") == 0) {
      fault_at = std::strtol(argv[++a], nullptr, 10);
    } else if (a + 1 < argc && std::strcmp(argv[a], "--hang-at") == 0) {
      hang_at = std::strtol(argv[++a], nullptr, 10);
    } else {
      return Fail(EMLKIT_EXIT_HARNESS, "unknown harness option", -1);
    }
  }

  emlkit::harness::PaintStack();
  emlkit_mark_init_begin();
  Status s = InitModel();
  emlkit_mark_init_end();
  const size_t init_stack = emlkit::harness::StackPeak();
  if (s != Status::kOk) return ReportRuntimeError(EMLKIT_EXIT_INIT_FAILED, "Init", s, -1);

  TensorView* ins = g_ins;
  TensorView* outs = g_outs;
  const int n_in = g_interp.num_inputs(), n_out = g_interp.num_outputs();
  if (n_in > kMaxTensors || n_out > kMaxTensors) {
    return Fail(EMLKIT_EXIT_HARNESS, "too many model inputs or outputs", -1);
  }
  for (int i = 0; i < n_in; ++i) {
    if ((s = g_interp.Input(i, &ins[i])) != Status::kOk) {
      return ReportRuntimeError(EMLKIT_EXIT_INVOKE_FAILED, "Input", s, -1);
    }
  }
  for (int i = 0; i < n_out; ++i) {
    if ((s = g_interp.Output(i, &outs[i])) != Status::kOk) {
      return ReportRuntimeError(EMLKIT_EXIT_INVOKE_FAILED, "Output", s, -1);
    }
  }

  FILE* in = std::fopen(in_path, "rb");
  if (in == nullptr) return Fail(EMLKIT_EXIT_HARNESS, "cannot open the input file", -1);
  FILE* out = std::fopen(out_path, "wb");
  if (out == nullptr) return Fail(EMLKIT_EXIT_HARNESS, "cannot create the output file", -1);

  size_t invoke_stack = 0;
  for (long r = 0; r < records; ++r) {
    if (!ReadRecord(in, ins, n_in)) return Fail(EMLKIT_EXIT_HARNESS, "input file too short", r);
    if (r == fault_at) Fault();
    if (r == hang_at) Hang();
    if ((s = g_interp.ResetState()) != Status::kOk) {
      return ReportRuntimeError(EMLKIT_EXIT_INVOKE_FAILED, "ResetState", s, r);
    }
    if (r == 0) emlkit::harness::PaintStack();
    emlkit_mark_invoke_begin();
    s = g_interp.Invoke();
    emlkit_mark_invoke_end();
    if (r == 0) invoke_stack = emlkit::harness::StackPeak();
    if (s != Status::kOk) return ReportRuntimeError(EMLKIT_EXIT_INVOKE_FAILED, "Invoke", s, r);
    if (r == flip && n_out > 0 && outs[0].bytes > 0) static_cast<uint8_t*>(outs[0].data)[0] ^= 1;
    for (int i = 0; i < n_out; ++i) {
      if (std::fwrite(outs[i].data, 1, outs[i].bytes, out) != outs[i].bytes) {
        return Fail(EMLKIT_EXIT_HARNESS, "cannot write the output file", r);
      }
    }
  }
  if (std::fclose(out) != 0) return Fail(EMLKIT_EXIT_HARNESS, "cannot write the output file", -1);

  if (hook && records > 0) {
    std::fseek(in, 0, SEEK_SET);
    if (!ReadRecord(in, ins, n_in)) return Fail(EMLKIT_EXIT_HARNESS, "input file too short", 0);
    g_interp.SetOpHook(OpHook, nullptr);
    if ((s = g_interp.ResetState()) != Status::kOk || (s = g_interp.Invoke()) != Status::kOk) {
      return ReportRuntimeError(EMLKIT_EXIT_INVOKE_FAILED, "hooked Invoke", s, 0);
    }
    g_interp.SetOpHook(nullptr, nullptr);
  }
  std::fclose(in);
  std::printf("emlkit-harness: ok records=%ld init_stack=%lu invoke_stack=%lu arena=%lu\n", records,
              static_cast<unsigned long>(init_stack), static_cast<unsigned long>(invoke_stack),
              static_cast<unsigned long>(g_interp.arena_bytes()));
  return EMLKIT_EXIT_OK;
}
