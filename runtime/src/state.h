// The interpreter's bookkeeping, stored at the start of the caller's arena.
//
// Arena layout (offsets from the 16-byte aligned arena base):
//   [State][tensor table: Ref per tensor][operator records...][variable tensors]  persistent
//   [planned activations and scratch buffers (lifetimes overlap in time, not in memory)]
// During Init, before planning, tensor table entries hold lifetimes (see planner.h); the
// planner's working list sits where the activations go later.
#ifndef EMLKIT_RUNTIME_SRC_STATE_H_
#define EMLKIT_RUNTIME_SRC_STATE_H_

#include <stdint.h>

#include "emlkit/runtime.h"
#include "kernels/kernel.h"

namespace emlkit {
namespace rt {

struct State {
  union {
    const uint8_t* p;
    uint64_t slot;
  } model;
  union {
    OpHook fn;
    uint64_t slot;
  } hook;
  union {
    void* p;
    uint64_t slot;
  } hook_user;
  uint32_t model_size;
  uint32_t capacity;      // usable bytes from the base
  uint32_t used;          // persistent bytes allocated so far
  uint32_t tensor_table;  // offset of Ref[num_tensors]
  uint32_t records;       // offset of the first operator record
  uint32_t records_end;
  uint32_t transient_base;  // offset where planned buffers start
  uint32_t arena_bytes;     // total bytes Init needed
  uint32_t num_tensors;
  uint16_t num_ops;
  uint16_t current_op;  // operator being prepared (Init only)

  uint8_t* base() { return reinterpret_cast<uint8_t*>(this); }
  const uint8_t* base() const { return reinterpret_cast<const uint8_t*>(this); }
  Ref* table() { return reinterpret_cast<Ref*>(base() + tensor_table); }
  const Ref* table() const { return reinterpret_cast<const Ref*>(base() + tensor_table); }
};

constexpr uint32_t AlignUp(uint32_t v, uint32_t a) { return (v + a - 1) & ~(a - 1); }

// Pre-planning tensor table entries (see planner.h): kUnreferenced, an alias, or a lifetime.
constexpr Ref kUnreferenced = 0xFFFFFFFFu;
constexpr Ref kAliasBit = 0x80000000u;
constexpr uint32_t PackLifetime(uint32_t first, uint32_t last) { return (first << 16) | last; }
constexpr uint32_t LifetimeFirst(uint32_t v) { return v >> 16; }
constexpr uint32_t LifetimeLast(uint32_t v) { return v & 0xFFFFu; }

// Follows aliases (RESHAPE outputs) to the tensor that owns the memory.
inline int32_t Representative(const State* s, int32_t t) {
  const Ref e = s->table()[t];
  if (e != kUnreferenced && (e & kAliasBit) != 0) return static_cast<int32_t>(e & 0x00FFFFFFu);
  return t;
}

}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_SRC_STATE_H_
