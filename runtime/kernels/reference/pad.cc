// Portable PAD kernel: row by row along the last axis.
#include <string.h>

#include "kernels/pad.h"

namespace emlkit {
namespace rt {
namespace {

void Fill(uint8_t* p, uint32_t count, uint32_t elem, uint32_t bits) {
  for (uint32_t i = 0; i < count; ++i) memcpy(p + i * elem, &bits, elem);  // little-endian
}

}  // namespace

void EvalPad(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const PadRecord*>(record);
  const uint8_t* x = ctx.Ptr<const uint8_t>(r.input);
  uint8_t* y = ctx.Ptr<uint8_t>(r.output);
  const int32_t last = r.rank - 1;
  const uint32_t elem = r.elem_size;
  const uint32_t out_row = static_cast<uint32_t>(r.out_dims[last]);
  const uint32_t in_row = static_cast<uint32_t>(r.in_dims[last]);
  const uint32_t before = static_cast<uint32_t>(r.before[last]);
  uint32_t rows = 1;
  for (int32_t d = 0; d < last; ++d) rows *= static_cast<uint32_t>(r.out_dims[d]);
  int32_t idx[6] = {0, 0, 0, 0, 0, 0};
  for (uint32_t row = 0; row < rows; ++row) {
    // Is this output row inside the input, and where does it start there?
    bool inside = true;
    uint32_t in_offset = 0;
    for (int32_t d = 0; d < last; ++d) {
      const int32_t i = idx[d] - r.before[d];
      if (i < 0 || i >= r.in_dims[d]) inside = false;
      in_offset = in_offset * static_cast<uint32_t>(r.in_dims[d]) + static_cast<uint32_t>(i);
    }
    if (!inside || in_row == 0) {
      Fill(y, out_row, elem, r.pad_bits);
    } else {
      Fill(y, before, elem, r.pad_bits);
      memcpy(y + before * elem, x + in_offset * in_row * elem, in_row * elem);
      Fill(y + (before + in_row) * elem, out_row - before - in_row, elem, r.pad_bits);
    }
    y += out_row * elem;
    for (int32_t d = last - 1; d >= 0; --d) {
      if (++idx[d] < r.out_dims[d]) break;
      idx[d] = 0;
    }
  }
}

}  // namespace rt
}  // namespace emlkit
