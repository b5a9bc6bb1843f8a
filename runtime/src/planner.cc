#include "src/planner.h"

namespace emlkit {
namespace rt {
namespace {

constexpr uint32_t kBufferAlign = 4;
constexpr uint32_t kUnplaced = 0xFFFFFFFFu;

struct PlanBuffer {
  uint32_t size;
  uint32_t life;    // PackLifetime(first, last)
  uint32_t where;   // tensor index, or kScratchRefBit | offset of the Ref slot in the arena
  uint32_t offset;  // from transient_base; kUnplaced before placement
};
static_assert(sizeof(PlanBuffer) == 16, "planner entries are 16 bytes");

bool Overlap(uint32_t a, uint32_t b) {
  return LifetimeFirst(a) <= LifetimeLast(b) && LifetimeFirst(b) <= LifetimeLast(a);
}

Status TooSmall(ErrorInfo* err, const char* what, uint64_t needed, uint32_t capacity) {
  *err = ErrorInfo();
  err->status = Status::kArenaTooSmall;
  err->what = what;
  err->got = capacity;
  err->expected = static_cast<int64_t>(needed);
  err->needed = needed;
  return Status::kArenaTooSmall;
}

// Calls f(op_index, slot_offset, ref) for every Ref slot of every record.
template <typename F>
void ForEachRef(State* s, F f) {
  uint32_t pos = s->records;
  for (uint32_t k = 0; k < s->num_ops; ++k) {
    RecordHeader* h = reinterpret_cast<RecordHeader*>(s->base() + pos);
    Ref* refs = reinterpret_cast<Ref*>(h + 1);
    for (uint32_t i = 0; i < h->num_refs; ++i) {
      f(k, pos + static_cast<uint32_t>(sizeof(RecordHeader)) + 4 * i, refs[i]);
    }
    pos += h->size;
  }
}

bool IsScratch(Ref r) { return r != kNoRef && (r & kScratchRefBit) != 0; }

bool IsActivation(const Model& model, Ref r) {
  if (r == kNoRef || IsScratch(r)) return false;
  TensorDesc d;
  return model.TensorStorage(static_cast<int32_t>(r), &d, nullptr) == Status::kOk &&
         !d.is_constant() && !d.is_variable;
}

uint32_t Bytes(const Model& model, int32_t t) {
  TensorDesc d;
  model.TensorStorage(t, &d, nullptr);
  return d.bytes;
}

// Operators that allowed it write their output over an input whose last reader they are: the
// output joins the input's buffer (like a RESHAPE alias), saving its memory.
void MergeInPlace(State* s, const Model& model) {
  Ref* table = s->table();
  uint32_t pos = s->records;
  for (uint32_t k = 0; k < s->num_ops; ++k) {
    const RecordHeader* h = reinterpret_cast<const RecordHeader*>(s->base() + pos);
    pos += h->size;
    if (h->in_place == 0) continue;
    const Ref* refs = reinterpret_cast<const Ref*>(h + 1);
    const Ref out = refs[(h->in_place & 0xFF) - 1];
    for (int c = 1; c <= 2; ++c) {
      const uint32_t in_slot = (h->in_place >> (8 * c)) & 0xFF;
      if (in_slot == 0) continue;
      const Ref in = refs[in_slot - 1];
      if (!IsActivation(model, in) || !IsActivation(model, out)) continue;
      const int32_t rin = Representative(s, static_cast<int32_t>(in));
      const int32_t rout = Representative(s, static_cast<int32_t>(out));
      if (rin == rout || static_cast<Ref>(rout) != out) continue;
      const Ref lin = table[rin], lout = table[rout];
      // Only same-size pairs: a smaller output kept in the input's larger buffer could raise
      // the peak later on.
      if (LifetimeLast(lin) != k || LifetimeFirst(lout) != k ||
          Bytes(model, rout) != Bytes(model, rin)) {
        continue;
      }
      table[rin] = PackLifetime(LifetimeFirst(lin), LifetimeLast(lout));
      for (uint32_t t = 0; t < s->num_tensors; ++t) {  // the output's aliases follow it
        if (t == static_cast<uint32_t>(rout) ||
            table[t] == (kAliasBit | static_cast<uint32_t>(rout))) {
          table[t] = kAliasBit | static_cast<uint32_t>(rin);
        }
      }
      break;
    }
  }
}

}  // namespace

Status PlanAndLink(State* s, const Model& model, ErrorInfo* err) {
  Ref* table = s->table();
  const uint32_t base = s->transient_base;
  MergeInPlace(s, model);

  // 1. Count the buffers to place.
  uint32_t n = 0;
  for (uint32_t t = 0; t < s->num_tensors; ++t) {
    const Ref e = table[t];
    if (e == kUnreferenced || (e & kAliasBit) != 0) continue;
    TensorDesc d;
    if (model.TensorStorage(static_cast<int32_t>(t), &d, err) != Status::kOk) return err->status;
    if (!d.is_constant() && !d.is_variable) ++n;
  }
  ForEachRef(s, [&](uint32_t, uint32_t, Ref r) { n += IsScratch(r) ? 1 : 0; });
  const uint64_t working_end = static_cast<uint64_t>(base) + static_cast<uint64_t>(n) * 16;
  if (working_end > s->capacity) {
    return TooSmall(err, "arena too small for the memory plan", working_end, s->capacity);
  }

  // 2. Collect them (the working list lives where the activations will go).
  PlanBuffer* bufs = reinterpret_cast<PlanBuffer*>(s->base() + base);
  uint32_t count = 0;
  for (uint32_t t = 0; t < s->num_tensors; ++t) {
    const Ref e = table[t];
    if (e == kUnreferenced || (e & kAliasBit) != 0) continue;
    TensorDesc d;
    model.TensorStorage(static_cast<int32_t>(t), &d, nullptr);
    if (d.is_constant() || d.is_variable) continue;
    bufs[count++] = PlanBuffer{AlignUp(d.bytes, kBufferAlign), e, t, kUnplaced};
  }
  ForEachRef(s, [&](uint32_t k, uint32_t slot, Ref r) {
    if (IsScratch(r)) {
      bufs[count++] = PlanBuffer{AlignUp(r & ~kScratchRefBit, kBufferAlign), PackLifetime(k, k),
                                 kScratchRefBit | slot, kUnplaced};
    }
  });

  // 3. Greedy placement: largest first (ties: earlier first use, then list order).
  uint64_t peak = 0;
  for (uint32_t placed = 0; placed < count; ++placed) {
    uint32_t best = kUnplaced;
    for (uint32_t i = 0; i < count; ++i) {
      if (bufs[i].offset != kUnplaced) continue;
      if (best == kUnplaced || bufs[i].size > bufs[best].size ||
          (bufs[i].size == bufs[best].size &&
           LifetimeFirst(bufs[i].life) < LifetimeFirst(bufs[best].life))) {
        best = i;
      }
    }
    PlanBuffer& b = bufs[best];
    uint32_t offset = 0;
    bool moved = true;
    while (moved) {  // bump past every conflicting buffer; each can bump us at most once
      moved = false;
      for (uint32_t j = 0; j < count; ++j) {
        const PlanBuffer& o = bufs[j];
        if (o.offset == kUnplaced || !Overlap(o.life, b.life)) continue;
        if (offset < o.offset + o.size && o.offset < offset + b.size) {
          offset = o.offset + o.size;
          moved = true;
        }
      }
    }
    b.offset = offset;
    if (static_cast<uint64_t>(offset) + b.size > peak)
      peak = static_cast<uint64_t>(offset) + b.size;
  }
#ifdef EMLKIT_RT_EXACT_PLAN
  // The export-time build (runtime/aot): generated code keeps no working list, only the plan.
  const uint64_t plan_bytes = peak;
#else
  const uint64_t plan_bytes = peak > static_cast<uint64_t>(n) * 16 ? peak : n * 16ull;
#endif
  const uint64_t total = base + plan_bytes;
  if (total > s->capacity || total >= kScratchRefBit) {
    return TooSmall(err, "arena too small for the memory plan", total, s->capacity);
  }

  // 4. Link: final locations into the tensor table and the record Refs.
  for (uint32_t i = 0; i < count; ++i) {
    const PlanBuffer& b = bufs[i];
    if ((b.where & kScratchRefBit) != 0) {
      Ref* slot = reinterpret_cast<Ref*>(s->base() + (b.where & ~kScratchRefBit));
      *slot = kScratchRefBit | (base + b.offset);  // marked until the record pass below
    } else {
      table[b.where] = base + b.offset;
    }
  }
  for (uint32_t t = 0; t < s->num_tensors; ++t) {
    const Ref e = table[t];
    if (e != kUnreferenced && (e & kAliasBit) != 0) {
      table[t] = table[e & 0x00FFFFFFu];
      continue;
    }
    TensorDesc d;
    model.TensorStorage(static_cast<int32_t>(t), &d, nullptr);
    if (d.is_constant()) table[t] = kModelRefBit | d.data_pos;
  }
  ForEachRef(s, [&](uint32_t, uint32_t slot, Ref r) {
    Ref* p = reinterpret_cast<Ref*>(s->base() + slot);
    if (r == kNoRef) return;
    *p = IsScratch(r) ? (r & ~kScratchRefBit) : table[r];
  });
  s->arena_bytes = static_cast<uint32_t>(total);
  return Status::kOk;
}

}  // namespace rt
}  // namespace emlkit
