/* The runtime's C API used from C99, as firmware would: runs the thermostat MLP golden model on
 * its 10 reference inputs and compares every output byte with TFLite Micro's.
 * Usage: emlkit_runtime_c_test GOLDEN_MODEL_DIR   (exit 77 = skipped: shared folder absent) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emlkit/emlkit_runtime.h"

static unsigned char* read_file(const char* dir, const char* name, size_t* size) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char* buf = (unsigned char*)malloc(n > 0 ? (size_t)n : 1);
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  *size = (size_t)n;
  return buf;
}

static int g_before, g_after;
static void count_ops(void* user, int32_t op_index, int32_t after) {
  (void)user;
  (void)op_index;
  if (after)
    ++g_after;
  else
    ++g_before;
}

int main(int argc, char** argv) {
  static unsigned char arena[8192] __attribute__((aligned(16)));
  size_t model_size = 0, in_size = 0, out_size = 0;
  if (argc < 2) return 2;
  unsigned char* model = read_file(argv[1], "model.tflite", &model_size);
  unsigned char* inputs = read_file(argv[1], "inputs.bin", &in_size);
  unsigned char* outputs = read_file(argv[1], "outputs.bin", &out_size);
  if (!model || !inputs || !outputs) {
    printf("SKIP: golden model folder %s not found\n", argv[1]);
    return 77;
  }

  emlkit_interpreter* interp = NULL;
  emlkit_error err;
  /* A far too small arena fails cleanly and says how much is needed. */
  if (emlkit_init(model, model_size, arena, 64, &interp, &err) != EMLKIT_ARENA_TOO_SMALL ||
      interp != NULL || err.needed <= 64) {
    printf("FAIL: a 64-byte arena should be reported too small\n");
    return 1;
  }
  if (emlkit_init(model, model_size, arena, sizeof arena, &interp, &err) != EMLKIT_OK) {
    printf("FAIL: init: %s (op %d, tensor %d)\n", err.what, (int)err.op_index, (int)err.tensor);
    return 1;
  }
  size_t used = emlkit_arena_bytes(interp);
  if (used == 0 || used > sizeof arena || emlkit_num_inputs(interp) != 1 ||
      emlkit_num_outputs(interp) != 1 || emlkit_num_ops(interp) != 4) {
    printf("FAIL: unexpected interpreter shape (arena %u)\n", (unsigned)used);
    return 1;
  }
  emlkit_set_op_hook(interp, count_ops, NULL);

  emlkit_tensor in, out;
  if (emlkit_input(interp, 0, &in) != EMLKIT_OK || emlkit_output(interp, 0, &out) != EMLKIT_OK ||
      in.type != 9 || out.type != 9 || in.bytes * 10 != in_size || out.bytes * 10 != out_size) {
    printf("FAIL: input/output tensors do not match the golden files\n");
    return 1;
  }
  for (int r = 0; r < 10; ++r) {
    emlkit_reset_state(interp);
    memcpy(in.data, inputs + r * in.bytes, in.bytes);
    if (emlkit_invoke(interp) != EMLKIT_OK) return 1;
    if (memcmp(out.data, outputs + r * out.bytes, out.bytes) != 0) {
      printf("FAIL: record %d differs from TFLite Micro\n", r);
      return 1;
    }
  }
  if (g_before != 40 || g_after != 40) {
    printf("FAIL: op hook called %d/%d times, expected 40/40\n", g_before, g_after);
    return 1;
  }
  if (strcmp(emlkit_op_name(44), "UNIDIRECTIONAL_SEQUENCE_LSTM") != 0) return 1;
  printf("PASS: 10 records bit-exact, arena %u bytes\n", (unsigned)used);
  free(model);
  free(inputs);
  free(outputs);
  return 0;
}
