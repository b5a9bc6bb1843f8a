// Bit-exact against TensorFlow Lite Micro: every golden model in ../shared/golden that emlkit must
// run gives TFLM's exact output bytes (int8/int16/int32) or floats within 1e-5 relative, for all
// 10 reference inputs (state reset before each), and every intermediate tensor of record 0
// matches too, so a failure names the first operator that differs.
//
// Built twice (tests/CMakeLists.txt): against emlkit_runtime (host-optimized kernels) and against
// emlkit_runtime_portable (the portable kernels firmware runs; test names prefixed "portable.").
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/fs.h"
#include "emlkit/runtime.h"
#include "support/test_util.h"

namespace emlkit {
namespace {

using rt::Status;

struct Golden {
  std::vector<uint8_t> model, inputs, outputs, intermediates;
  nlohmann::json meta, intermediates_index;
};

Golden LoadGolden(const std::string& dir) {
  Golden g;
  g.model = ReadFileBytes(dir + "/model.tflite").value();
  g.inputs = ReadFileBytes(dir + "/inputs.bin").value();
  g.outputs = ReadFileBytes(dir + "/outputs.bin").value();
  g.intermediates = ReadFileBytes(dir + "/intermediates.bin").value();
  g.meta = nlohmann::json::parse(ReadFileText(dir + "/meta.json").value());
  g.intermediates_index = nlohmann::json::parse(ReadFileText(dir + "/intermediates.json").value());
  return g;
}

// Grows an arena until the model fits; returns arena_bytes() of the exact plan.
struct Prepared {
  std::vector<uint8_t> storage;
  rt::Interpreter interp;
  Status status = Status::kNotReady;
};

void Prepare(const std::vector<uint8_t>& model, Prepared* p) {
  size_t size = 4096;
  for (;;) {
    p->storage.assign(size + 16, 0);
    uint8_t* arena =
        p->storage.data() + (16 - reinterpret_cast<uintptr_t>(p->storage.data()) % 16) % 16;
    p->status = p->interp.Init(model.data(), model.size(), arena, size);
    if (p->status != Status::kArenaTooSmall || size > (size_t{1} << 28)) return;
    size = std::max<size_t>(size * 2, p->interp.error().needed);
  }
}

bool IsFloat(const std::string& dtype) { return dtype == "float32"; }

// Float comparison of the golden standard: within 1e-5 relative (with a tiny absolute floor for
// values that are zero or cancel out).
bool Close(float got, float want) {
  return std::fabs(got - want) <= 1e-5f * std::max(std::fabs(got), std::fabs(want)) + 1e-6f;
}

// Compares `n` bytes of dtype; returns the first differing element index or -1.
int64_t FirstDifference(const uint8_t* got, const uint8_t* want, size_t bytes,
                        const std::string& dtype) {
  if (!IsFloat(dtype)) {
    for (size_t i = 0; i < bytes; ++i) {
      if (got[i] != want[i]) return static_cast<int64_t>(i);
    }
    return -1;
  }
  for (size_t i = 0; i < bytes / 4; ++i) {
    float a, b;
    std::memcpy(&a, got + 4 * i, 4);
    std::memcpy(&b, want + 4 * i, 4);
    if (!Close(a, b)) return static_cast<int64_t>(i);
  }
  return -1;
}

class GoldenTest : public ::testing::TestWithParam<const char*> {};

// Record 0 with every intermediate tensor checked right after the operator that writes it.
struct IntermediateCheck {
  const Golden* g;
  rt::Interpreter* interp;
  std::map<int, const nlohmann::json*> by_tensor;
  std::string first_mismatch;
  int checked = 0;

  static void Hook(void* user, int32_t op, int32_t after) {
    auto* self = static_cast<IntermediateCheck*>(user);
    if (!after || !self->first_mismatch.empty()) return;
    rt::OpView ov;
    self->interp->Op(op, &ov);
    for (int32_t i = 0; i < ov.num_outputs; ++i) {
      const int32_t t = self->interp->OpOutput(op, i);
      auto it = self->by_tensor.find(t);
      if (it == self->by_tensor.end()) continue;
      const nlohmann::json& e = *it->second;
      rt::TensorView v;
      self->interp->Tensor(t, &v);
      const size_t bytes = e["bytes"].get<size_t>();
      const size_t offset = e["offset"].get<size_t>();
      ++self->checked;
      if (v.bytes != bytes || v.data == nullptr) {
        self->first_mismatch = "tensor " + std::to_string(t) + " has the wrong size";
        return;
      }
      const int64_t d = FirstDifference(static_cast<const uint8_t*>(v.data),
                                        self->g->intermediates.data() + offset, bytes,
                                        e["dtype"].get<std::string>());
      if (d >= 0) {
        self->first_mismatch = "op " + std::to_string(op) + " (" +
                               rt::BuiltinOpName(ov.builtin_code) + ") output tensor " +
                               std::to_string(t) + " '" + e["name"].get<std::string>() +
                               "' differs first at element " + std::to_string(d);
        return;
      }
    }
  }
};

TEST_P(GoldenTest, MatchesTfliteMicroBitExact) {
  const std::string name = GetParam();
  EMLKIT_REQUIRE_SHARED(dir, "golden/" + name);
  const Golden g = LoadGolden(dir);
  Prepared p;
  Prepare(g.model, &p);
  ASSERT_EQ(p.status, Status::kOk)
      << name << ": " << p.interp.error().what << " (op " << p.interp.error().op_index
      << ", tensor " << p.interp.error().tensor << ")";
  rt::Interpreter& interp = p.interp;

  // Inputs and outputs as meta.json lists them (matched by tensor index).
  const auto& ins = g.meta["inputs"];
  const auto& outs = g.meta["outputs"];
  ASSERT_EQ(interp.num_inputs(), static_cast<int32_t>(ins.size()));
  ASSERT_EQ(interp.num_outputs(), static_cast<int32_t>(outs.size()));
  size_t in_record = 0, out_record = 0;
  std::vector<rt::TensorView> in_views(ins.size()), out_views(outs.size());
  for (size_t i = 0; i < ins.size(); ++i) {
    ASSERT_EQ(interp.Input(static_cast<int32_t>(i), &in_views[i]), Status::kOk);
    EXPECT_EQ(in_views[i].index, ins[i]["tensor_index"].get<int>());
    ASSERT_EQ(in_views[i].bytes, ins[i]["bytes"].get<uint32_t>());
    in_record += in_views[i].bytes;
  }
  for (size_t i = 0; i < outs.size(); ++i) {
    ASSERT_EQ(interp.Output(static_cast<int32_t>(i), &out_views[i]), Status::kOk);
    EXPECT_EQ(out_views[i].index, outs[i]["tensor_index"].get<int>());
    ASSERT_EQ(out_views[i].bytes, outs[i]["bytes"].get<uint32_t>());
    out_record += out_views[i].bytes;
  }
  const int records = g.meta["num_vectors"].get<int>();
  ASSERT_EQ(g.inputs.size(), in_record * records);
  ASSERT_EQ(g.outputs.size(), out_record * records);

  IntermediateCheck check{&g, &interp, {}, "", 0};
  for (const auto& e : g.intermediates_index) check.by_tensor[e["tensor_index"].get<int>()] = &e;

  for (int r = 0; r < records; ++r) {
    ASSERT_EQ(interp.ResetState(), Status::kOk);
    size_t off = r * in_record;
    for (auto& v : in_views) {
      std::memcpy(v.data, g.inputs.data() + off, v.bytes);
      off += v.bytes;
    }
    interp.SetOpHook(r == 0 ? &IntermediateCheck::Hook : nullptr, &check);
    ASSERT_EQ(interp.Invoke(), Status::kOk);
    if (r == 0) {
      EXPECT_EQ(check.first_mismatch, "") << name << " record 0";
      EXPECT_GT(check.checked, 0) << "no intermediate tensor was compared";
    }
    off = r * out_record;
    for (size_t i = 0; i < out_views.size(); ++i) {
      const int64_t d =
          FirstDifference(static_cast<const uint8_t*>(out_views[i].data), g.outputs.data() + off,
                          out_views[i].bytes, outs[i]["dtype"].get<std::string>());
      EXPECT_EQ(d, -1) << name << " record " << r << " output " << i
                       << " differs from TFLite Micro first at element " << d;
      off += out_views[i].bytes;
    }
  }

  // The arena the planner reports is enough on its own and no larger than TFLM's.
  const size_t arena = interp.arena_bytes();
  EXPECT_LE(arena, g.meta["arena_used_bytes_host_x86_64"].get<size_t>()) << name;
  std::vector<uint8_t> exact(arena + 16);
  uint8_t* base = exact.data() + (16 - reinterpret_cast<uintptr_t>(exact.data()) % 16) % 16;
  rt::Interpreter again;
  EXPECT_EQ(again.Init(g.model.data(), g.model.size(), base, arena), Status::kOk);
  EXPECT_EQ(again.Init(g.model.data(), g.model.size(), base, arena - 4), Status::kArenaTooSmall);
}

// Every golden model emlkit must run (all but those needing LSTM or the audio Signal ops).
INSTANTIATE_TEST_SUITE_P(Required, GoldenTest,
                         ::testing::Values("thermostat_mlp_int8", "hello_world_int8",
                                           "hello_world_float", "simple_add_model",
                                           "micro_speech_quantized", "keyword_scrambled",
                                           "keyword_scrambled_8bit", "person_detect",
                                           "mlperf_ad01_int8", "mlperf_ad01_fp32",
                                           "mlperf_kws_ref_model_int8", "mlperf_str_ww_ref_model"),
                         [](const auto& info) { return std::string(info.param); });

// Models emlkit does not run must be refused before anything runs, naming the operator.
TEST(GoldenUnsupported, NamesTheUnsupportedOperator) {
  EMLKIT_REQUIRE_SHARED(dir, "golden/trained_lstm");
  const Golden g = LoadGolden(dir);
  Prepared p;
  Prepare(g.model, &p);
  ASSERT_EQ(p.status, Status::kUnsupported);
  EXPECT_STREQ(rt::BuiltinOpName(p.interp.error().op_code), "UNIDIRECTIONAL_SEQUENCE_LSTM");
  EXPECT_EQ(p.interp.error().op_index, 0);
}

}  // namespace
}  // namespace emlkit
