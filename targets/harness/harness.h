// What the replay harness and the minimal image share: the generated model file's symbols, the
// instruction-count markers and the stack measurement.
#ifndef EMLKIT_TARGETS_HARNESS_HARNESS_H_
#define EMLKIT_TARGETS_HARNESS_HARNESS_H_

#include <cstddef>
#include <cstdint>

// Defined by the generated model file (emlkit sim writes it per model): the .tflite bytes as an
// aligned const array and a 16-byte aligned arena of exactly the size the runtime plans.
extern "C" {
extern const unsigned char emlkit_model_data[];
extern const unsigned int emlkit_model_size;
extern unsigned char emlkit_arena[];
extern const unsigned int emlkit_arena_size;
}

// Marker functions: the QEMU plugin (src/sim/qemu_plugin) logs the instruction count whenever
// the first instruction of one of them executes, so work between two markers is counted exactly.
// Each writes a distinct value so the linker cannot fold them into one function.
extern "C" {
void emlkit_mark_init_begin(void);
void emlkit_mark_init_end(void);
void emlkit_mark_invoke_begin(void);
void emlkit_mark_invoke_end(void);
void emlkit_mark_op_begin(void);
void emlkit_mark_op_end(void);
}

namespace emlkit::harness {

// Fills the stack below the caller's frame (at most kStackWindow bytes) with a pattern;
// StackPeak() then gives the deepest use since, in bytes from the top of the stack. Both return
// 0 on targets where the stack bounds are unknown (aarch64-linux).
constexpr size_t kStackWindow = 64 * 1024;
void PaintStack();
size_t StackPeak();

}  // namespace emlkit::harness

#endif  // EMLKIT_TARGETS_HARNESS_HARNESS_H_
