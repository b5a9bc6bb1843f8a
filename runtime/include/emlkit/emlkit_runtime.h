/* emlkit device runtime, C API for C firmware. Same engine as emlkit/runtime.h (C++).
 *
 *   static uint8_t arena[2048] __attribute__((aligned(16)));
 *   emlkit_interpreter* interp;
 *   emlkit_error err;
 *   if (emlkit_init(model, model_len, arena, sizeof arena, &interp, &err) != EMLKIT_OK) {
 *     // err.what, err.op_index, err.tensor say what is wrong; err.needed how big the arena must be
 *   }
 *   emlkit_tensor in, out;
 *   emlkit_input(interp, 0, &in);   memcpy(in.data, features, in.bytes);
 *   emlkit_invoke(interp);
 *   emlkit_output(interp, 0, &out); // out.data holds out.bytes bytes
 *
 * The interpreter lives inside the arena (the handle points into it); the model bytes and the
 * arena must stay valid while it is used. No heap, no stdio. Not thread-safe.
 * Write the inputs before EVERY emlkit_invoke: to save RAM, an operator may write its output
 * over an input it is the last to read, so an invoke can leave the inputs changed. */
#ifndef EMLKIT_RUNTIME_C_H_
#define EMLKIT_RUNTIME_C_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Values match emlkit::rt::Status. */
typedef enum {
  EMLKIT_OK = 0,
  EMLKIT_INVALID_ARGUMENT = 1,
  EMLKIT_CORRUPT_MODEL = 2,
  EMLKIT_UNSUPPORTED = 3,
  EMLKIT_ARENA_TOO_SMALL = 4,
  EMLKIT_NOT_READY = 5
} emlkit_status;

/* What went wrong; integer fields are -1 when they do not apply. */
typedef struct {
  emlkit_status status;
  const char* what; /* static English phrase */
  int32_t op_index; /* operator position in execution order */
  int32_t op_code;  /* builtin operator code: emlkit_op_name(op_code) */
  int32_t tensor;   /* tensor index */
  int64_t got;
  int64_t expected;
  uint64_t needed; /* EMLKIT_ARENA_TOO_SMALL: arena bytes that would do (or a lower bound) */
} emlkit_error;

/* Values of `type` are the TFLite schema's TensorType (0 float32, 2 int32, 7 int16, 9 int8...). */
typedef struct {
  int32_t index;
  int32_t type;
  int32_t rank;
  int32_t dims[6];
  uint32_t bytes;
  void* data;
  float scale; /* 0 when not quantized */
  int32_t zero_point;
} emlkit_tensor;

typedef struct emlkit_interpreter emlkit_interpreter;

/* Called before (after == 0) and after (after == 1) every operator, e.g. to read a cycle
 * counter for per-operator profiling. */
typedef void (*emlkit_op_hook)(void* user, int32_t op_index, int32_t after);

emlkit_status emlkit_init(const void* model, size_t model_size, void* arena, size_t arena_size,
                          emlkit_interpreter** out, emlkit_error* error);
/* Arena bytes the interpreter uses (what an exactly sized arena must hold). */
size_t emlkit_arena_bytes(const emlkit_interpreter* interp);
int32_t emlkit_num_inputs(const emlkit_interpreter* interp);
int32_t emlkit_num_outputs(const emlkit_interpreter* interp);
int32_t emlkit_num_ops(const emlkit_interpreter* interp);
emlkit_status emlkit_input(const emlkit_interpreter* interp, int32_t i, emlkit_tensor* out);
emlkit_status emlkit_output(const emlkit_interpreter* interp, int32_t i, emlkit_tensor* out);
emlkit_status emlkit_invoke(emlkit_interpreter* interp);
/* Resets variable tensors (e.g. SVDF memory) to their initial value. */
emlkit_status emlkit_reset_state(emlkit_interpreter* interp);
void emlkit_set_op_hook(emlkit_interpreter* interp, emlkit_op_hook hook, void* user);
/* "FULLY_CONNECTED", ...; "UNKNOWN" for codes outside the schema. */
const char* emlkit_op_name(int32_t builtin_code);
const char* emlkit_status_name(emlkit_status status);

#ifdef __cplusplus
}
#endif

#endif /* EMLKIT_RUNTIME_C_H_ */
