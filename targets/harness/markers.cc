// Instruction-count markers and stack painting (see harness.h).
#include "harness/harness.h"

namespace {
volatile uint32_t g_marker = 0;
}  // namespace

#define EMLKIT_MARKER_(name, value) \
  extern "C" __attribute__((noinline, used)) void name(void) { g_marker = value; }
EMLKIT_MARKER_(emlkit_mark_init_begin, 1)
EMLKIT_MARKER_(emlkit_mark_init_end, 2)
EMLKIT_MARKER_(emlkit_mark_invoke_begin, 3)
EMLKIT_MARKER_(emlkit_mark_invoke_end, 4)
EMLKIT_MARKER_(emlkit_mark_op_begin, 5)
EMLKIT_MARKER_(emlkit_mark_op_end, 6)
#undef EMLKIT_MARKER_

namespace emlkit::harness {

#if defined(__arm__) || defined(__riscv)
extern "C" uint32_t __stack[];
extern "C" uint32_t __stack_limit[];
namespace {
constexpr uint32_t kPaint = 0x5A17C0DEu;
uint32_t* g_paint_low = nullptr;
}  // namespace

__attribute__((noinline)) void PaintStack() {
  volatile uint32_t here = 0;
  // Leave 256 bytes below this frame for the calls that paint.
  uint32_t* top = reinterpret_cast<uint32_t*>(reinterpret_cast<uintptr_t>(&here) & ~3u) - 64;
  uint32_t* low = top - kStackWindow / 4;
  if (low < __stack_limit) low = __stack_limit;
  for (uint32_t* p = low; p < top; ++p) *p = kPaint;
  g_paint_low = low;
}

size_t StackPeak() {
  if (g_paint_low == nullptr) return 0;
  uint32_t* p = g_paint_low;
  while (p < __stack && *p == kPaint) ++p;
  return static_cast<size_t>(reinterpret_cast<uintptr_t>(__stack) - reinterpret_cast<uintptr_t>(p));
}
#else
void PaintStack() {}
size_t StackPeak() { return 0; }
#endif

}  // namespace emlkit::harness
