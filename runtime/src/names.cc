// Names of builtin operators, tensor types and statuses (for messages on host and device).
#include "emlkit/op_list.h"
#include "emlkit/runtime.h"

namespace emlkit {
namespace rt {
namespace {

struct OpName {
  int32_t code;
  const char* name;
};

constexpr OpName kOpNames[] = {
#define EMLKIT_OP_NAME_(name, code) {code, #name},
    EMLKIT_ALL_BUILTIN_OPS(EMLKIT_OP_NAME_)
#undef EMLKIT_OP_NAME_
};

}  // namespace

const char* BuiltinOpName(int32_t builtin_code) {
  for (const OpName& n : kOpNames) {
    if (n.code == builtin_code) return n.name;
  }
  return "UNKNOWN";
}

const char* TensorTypeName(TensorType t) {
  switch (t) {
    case TensorType::kFloat32:
      return "float32";
    case TensorType::kFloat16:
      return "float16";
    case TensorType::kInt32:
      return "int32";
    case TensorType::kUInt8:
      return "uint8";
    case TensorType::kInt64:
      return "int64";
    case TensorType::kString:
      return "string";
    case TensorType::kBool:
      return "bool";
    case TensorType::kInt16:
      return "int16";
    case TensorType::kComplex64:
      return "complex64";
    case TensorType::kInt8:
      return "int8";
    case TensorType::kFloat64:
      return "float64";
    case TensorType::kComplex128:
      return "complex128";
    case TensorType::kUInt64:
      return "uint64";
    case TensorType::kResource:
      return "resource";
    case TensorType::kVariant:
      return "variant";
    case TensorType::kUInt32:
      return "uint32";
    case TensorType::kUInt16:
      return "uint16";
    case TensorType::kInt4:
      return "int4";
  }
  return "unknown";
}

uint32_t TensorTypeSize(TensorType t) {
  switch (t) {
    case TensorType::kFloat32:
    case TensorType::kInt32:
    case TensorType::kUInt32:
      return 4;
    case TensorType::kFloat16:
    case TensorType::kInt16:
    case TensorType::kUInt16:
      return 2;
    case TensorType::kUInt8:
    case TensorType::kBool:
    case TensorType::kInt8:
      return 1;
    case TensorType::kInt64:
    case TensorType::kFloat64:
    case TensorType::kUInt64:
    case TensorType::kComplex64:
      return 8;
    case TensorType::kComplex128:
      return 16;
    default:
      return 0;
  }
}

const char* StatusName(Status s) {
  switch (s) {
    case Status::kOk:
      return "ok";
    case Status::kInvalidArgument:
      return "invalid argument";
    case Status::kCorruptModel:
      return "corrupt model";
    case Status::kUnsupported:
      return "unsupported";
    case Status::kArenaTooSmall:
      return "arena too small";
    case Status::kNotReady:
      return "interpreter not initialized";
  }
  return "unknown status";
}

}  // namespace rt
}  // namespace emlkit
