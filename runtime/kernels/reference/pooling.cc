// Portable pooling kernels.
#include "kernels/pooling.h"

namespace emlkit {
namespace rt {
namespace {

// For each output pixel and channel calls op(input, base, fy0, fy1, fx0, fx1): the window's
// element (fy, fx) is input[base + fy * row + fx * col], clipped to [fy0, fy1) x [fx0, fx1).
// Index arithmetic stays in integers (the window origin may lie outside the image).
template <typename T, typename Op>
void Pool(const PoolRecord& r, const T* input, T* output, Op op) {
  const Window2D& w = r.win;
  for (int32_t b = 0; b < w.batches; ++b) {
    for (int32_t oy = 0; oy < w.out_h; ++oy) {
      const int32_t iy0 = oy * w.stride_h - w.pad_h;
      const int32_t fy0 = iy0 < 0 ? -iy0 : 0;
      const int32_t fy1 = w.filter_h < w.in_h - iy0 ? w.filter_h : w.in_h - iy0;
      for (int32_t ox = 0; ox < w.out_w; ++ox) {
        const int32_t ix0 = ox * w.stride_w - w.pad_w;
        const int32_t fx0 = ix0 < 0 ? -ix0 : 0;
        const int32_t fx1 = w.filter_w < w.in_w - ix0 ? w.filter_w : w.in_w - ix0;
        T* y = output + ((b * w.out_h + oy) * w.out_w + ox) * w.out_c;
        const int32_t base = ((b * w.in_h + iy0) * w.in_w + ix0) * w.in_c;
        for (int32_t c = 0; c < w.out_c; ++c) y[c] = op(input, base + c, fy0, fy1, fx0, fx1);
      }
    }
  }
}

}  // namespace

void EvalAveragePoolInt8(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const PoolRecord*>(record);
  const int32_t row = r.win.in_w * r.win.in_c, col = r.win.in_c;
  Pool<int8_t>(
      r, ctx.Ptr<const int8_t>(r.input), ctx.Ptr<int8_t>(r.output),
      [&](const int8_t* x, int32_t base, int32_t fy0, int32_t fy1, int32_t fx0, int32_t fx1) {
        int32_t acc = 0, count = 0;
        for (int32_t fy = fy0; fy < fy1; ++fy) {
          for (int32_t fx = fx0; fx < fx1; ++fx) acc += x[base + fy * row + fx * col];
        }
        count = (fy1 - fy0) * (fx1 - fx0);
        if (count <= 0) return static_cast<int8_t>(0);
        acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
        acc = acc < r.act_min ? r.act_min : (acc > r.act_max ? r.act_max : acc);
        return static_cast<int8_t>(acc);
      });
}

void EvalMaxPoolInt8(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const PoolRecord*>(record);
  const int32_t row = r.win.in_w * r.win.in_c, col = r.win.in_c;
  Pool<int8_t>(
      r, ctx.Ptr<const int8_t>(r.input), ctx.Ptr<int8_t>(r.output),
      [&](const int8_t* x, int32_t base, int32_t fy0, int32_t fy1, int32_t fx0, int32_t fx1) {
        int32_t m = -128;
        for (int32_t fy = fy0; fy < fy1; ++fy) {
          for (int32_t fx = fx0; fx < fx1; ++fx) {
            const int32_t v = x[base + fy * row + fx * col];
            m = v > m ? v : m;
          }
        }
        m = m < r.act_min ? r.act_min : (m > r.act_max ? r.act_max : m);
        return static_cast<int8_t>(m);
      });
}

void EvalAveragePoolFloat(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const PoolRecord*>(record);
  const int32_t row = r.win.in_w * r.win.in_c, col = r.win.in_c;
  Pool<float>(
      r, ctx.Ptr<const float>(r.input), ctx.Ptr<float>(r.output),
      [&](const float* x, int32_t base, int32_t fy0, int32_t fy1, int32_t fx0, int32_t fx1) {
        float total = 0.0f;
        for (int32_t fy = fy0; fy < fy1; ++fy) {
          for (int32_t fx = fx0; fx < fx1; ++fx) total += x[base + fy * row + fx * col];
        }
        const int32_t count = (fy1 - fy0) * (fx1 - fx0);
        float v = count > 0 ? total / static_cast<float>(count) : 0.0f;
        v = v < r.f_act_min ? r.f_act_min : (v > r.f_act_max ? r.f_act_max : v);
        return v;
      });
}

void EvalMaxPoolFloat(const EvalContext& ctx, const void* record) {
  const auto& r = *static_cast<const PoolRecord*>(record);
  const int32_t row = r.win.in_w * r.win.in_c, col = r.win.in_c;
  Pool<float>(
      r, ctx.Ptr<const float>(r.input), ctx.Ptr<float>(r.output),
      [&](const float* x, int32_t base, int32_t fy0, int32_t fy1, int32_t fx0, int32_t fx1) {
        float m = -3.402823466e+38f;
        for (int32_t fy = fy0; fy < fy1; ++fy) {
          for (int32_t fx = fx0; fx < fx1; ++fx) {
            const float v = x[base + fy * row + fx * col];
            m = v > m ? v : m;
          }
        }
        m = m < r.f_act_min ? r.f_act_min : (m > r.f_act_max ? r.f_act_max : m);
        return m;
      });
}

}  // namespace rt
}  // namespace emlkit
