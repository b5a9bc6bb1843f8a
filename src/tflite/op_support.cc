// Operator names and support, from the runtime's op table.
#include "tflite/op_support.h"

#include <fmt/format.h>

#include <cstring>

#include "emlkit/op_list.h"

namespace emlkit::tflite {

std::string OpName(const Operator& op) {
  if (op.builtin_code == op::kCustom) return "CUSTOM:" + op.custom_code;
  const char* name = rt::BuiltinOpName(op.builtin_code);
  if (name == nullptr || std::strcmp(name, "UNKNOWN") == 0) {
    return fmt::format("BUILTIN_{}", op.builtin_code);
  }
  return name;
}

std::string UnsupportedReason(const Operator& op) {
  int32_t max_version = 0;
  if (!rt::IsSupportedOp(op.builtin_code, &max_version)) {
    return op.builtin_code == op::kCustom ? "no kernel for this custom operator"
                                          : "no kernel for this operator";
  }
  if (op.version > max_version) {
    return fmt::format("version {}; emlkit runs versions up to {}", op.version, max_version);
  }
  return "";
}

}  // namespace emlkit::tflite
