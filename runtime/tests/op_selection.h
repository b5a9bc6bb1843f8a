// A build-time op selection for op_selection_test.cc (see runtime/src/registry.cc): what a
// firmware generator writes for a model with only FULLY_CONNECTED and SOFTMAX.
#ifndef EMLKIT_RUNTIME_TESTS_OP_SELECTION_H_
#define EMLKIT_RUNTIME_TESTS_OP_SELECTION_H_

// clang-format off
#define EMLKIT_SELECTED_OPS(X) \
  X(FULLY_CONNECTED, 9, 9) \
  X(SOFTMAX, 25, 3)
// clang-format on

#endif  // EMLKIT_RUNTIME_TESTS_OP_SELECTION_H_
