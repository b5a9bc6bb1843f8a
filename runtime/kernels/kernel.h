// What a kernel is made of, and the interface it uses to prepare itself.
//
// A kernel is two plain functions, no classes or virtuals:
//   Status PrepareOp_<NAME>(PrepareContext& ctx)   (registered by op_list.h, see src/registry.cc)
//     checks the operator's tensors and options once, computes everything that does not depend
//     on the input values (multipliers, shifts, zero points, clamping bounds, loop sizes) and
//     stores it in the operator's record, allocated in the arena with ctx.AllocRecord.
//   void Eval(const EvalContext& ctx, const void* record)
//     the record's function pointer; runs the operator. It cannot fail: everything that could be
//     wrong was checked in Prepare.
//
// Records start with a RecordHeader followed by `num_refs` Ref fields (tensor or scratch
// locations). During Prepare a Ref holds a tensor index or a scratch request; after planning the
// interpreter rewrites every Ref into a location, which ctx.Ptr<T>(ref) turns into a pointer in
// a handful of instructions. Records hold only fixed-size fields (no pointers except the eval
// slot, which is 8 bytes everywhere), so their size is identical on 64-bit hosts and 32-bit MCUs.
#ifndef EMLKIT_RUNTIME_KERNELS_KERNEL_H_
#define EMLKIT_RUNTIME_KERNELS_KERNEL_H_

#include <stddef.h>
#include <stdint.h>

#include "emlkit/runtime.h"
#include "src/model.h"

namespace emlkit {
namespace rt {

// A tensor or scratch location. After linking: bit 31 set = offset into the model bytes
// (constant data), else offset from the arena base. kNoRef marks an omitted optional tensor.
using Ref = uint32_t;
constexpr Ref kNoRef = 0xFFFFFFFFu;
constexpr Ref kModelRefBit = 0x80000000u;
constexpr Ref kScratchRefBit = 0x40000000u;  // before linking: a scratch request of (ref & ~bit)

struct EvalContext {
  uint8_t* base[2];  // [0] arena base, [1] model bytes

  template <typename T>
  __attribute__((always_inline)) T* Ptr(Ref r) const {
    return reinterpret_cast<T*>(base[r >> 31] + (r & ~kModelRefBit));
  }
};

using EvalFn = void (*)(const EvalContext& ctx, const void* record);

struct RecordHeader {
  union {
    EvalFn fn;
    uint64_t slot;  // keeps the header the same size on 32- and 64-bit targets
  } eval;
  uint16_t size;     // bytes of the whole record (multiple of 8)
  uint8_t num_refs;  // Ref fields that immediately follow the header
  uint8_t reserved;
  uint32_t in_place;  // in-place candidates (see AllowInPlace): byte 0 output slot + 1, bytes 1
                      // and 2 input slots + 1 (0 = none)
};
static_assert(sizeof(RecordHeader) == 16, "record header must be 16 bytes everywhere");

class Interpreter;
struct State;

// The interface Prepare functions use. One context per operator, created by Interpreter::Init.
class PrepareContext {
 public:
  PrepareContext(const Model& model, const OpDesc& op, State* state, ErrorInfo* err)
      : model_(model), op_(op), state_(state), err_(err) {}

  const OpDesc& op() const { return op_; }
  uint32_t model_size() const { return model_.size(); }
  int32_t num_inputs() const { return op_.num_inputs(); }
  int32_t num_outputs() const { return op_.num_outputs(); }

  // Reads operator input / output i. Input fails if it is missing (use OptionalInput for
  // optional ones) or if it is an activation no earlier operator wrote. Output fails if another
  // operator already wrote the tensor or if it is constant.
  Status Input(int32_t i, TensorDesc* out);
  Status OptionalInput(int32_t i, TensorDesc* out, bool* present);
  Status Output(int32_t i, TensorDesc* out);
  // Checks the operator has between min and max inputs and exactly `outputs` outputs.
  Status CheckArity(int32_t min_inputs, int32_t max_inputs, int32_t outputs);

  // The operator's builtin options table, checked to be of union type `type` (the BuiltinOptions
  // index, e.g. 8 for FullyConnectedOptions). *present=false (and ok) when the model omits them.
  Status Options(uint8_t type, fb::Table* out, bool* present);
  // Reads a scalar option field (defaults when options or the field are absent).
  template <typename T>
  Status Option(const fb::Table& options, bool present, int field, T def, T* out) {
    if (!present) {
      *out = def;
      return Status::kOk;
    }
    if (!options.Scalar<T>(field, def, out))
      return Fail(Status::kCorruptModel, "operator option out of bounds");
    return Status::kOk;
  }

  // Allocates this operator's record: sizeof(R) + extra bytes, zeroed, 8-byte aligned, with the
  // header filled in (`num_refs` Ref fields must follow the header in R). Returns null (and
  // records kArenaTooSmall) when the arena is full.
  template <typename R>
  R* AllocRecord(EvalFn fn, int num_refs, uint32_t extra = 0) {
    return static_cast<R*>(AllocRecordRaw(fn, num_refs, static_cast<uint32_t>(sizeof(R)) + extra));
  }
  // Ref for tensor t (an input or output of this operator); extends the tensor's lifetime to
  // this operator. kNoRef for t < 0.
  Ref TensorRef(int32_t t);
  // Ref for `bytes` of scratch memory valid during this operator's Eval only.
  Ref ScratchRef(uint32_t bytes);
  // Makes output tensor `out` share the memory of input tensor `in` (both activations): used by
  // RESHAPE so that it copies nothing. Both stay valid as long as either is used.
  Status AliasOutput(int32_t out, int32_t in);
  // Tells the planner that this operator's Eval may write the output (Ref slot `out_slot` of the
  // record just allocated) over an input (slot `in_slot`): element i of the output is written
  // only after element i of that input was read, and the output is not larger. The planner does
  // it when this operator is the input's last reader and both have the same size, saving the
  // output's memory. Up to two
  // inputs may be offered (call twice); the first that qualifies is used.
  void AllowInPlace(int in_slot, int out_slot);
  // Records an error for this operator (and the tensor, when given) and returns `s`.
  Status Fail(Status s, const char* what, int32_t tensor = -1, int64_t got = -1,
              int64_t expected = -1);

 private:
  void* AllocRecordRaw(EvalFn fn, int num_refs, uint32_t bytes);
  // Remembers whether tensor t (just read by Input/Output) is an activation, so that TensorRef
  // need not read the tensor from the model again.
  void Remember(int32_t t, const TensorDesc& d);

  static constexpr int kSeen = 8;
  int32_t seen_tensor_[kSeen] = {};
  bool seen_activation_[kSeen] = {};
  int num_seen_ = 0;
  const Model& model_;
  const OpDesc& op_;
  RecordHeader* last_record_ = nullptr;
  State* state_;
  ErrorInfo* err_;
};

using PrepareFn = Status (*)(PrepareContext& ctx);

}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_KERNELS_KERNEL_H_
