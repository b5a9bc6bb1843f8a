// `emlkit invoke`: every golden model emlkit runs gives TFLite Micro's outputs (int8 byte for
// byte, float within 1e-5 relative), also after a read + write through the host model; the
// others are refused naming the operator; bad inputs exit with code 2 and write nothing.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "common/fs.h"
#include "common/npy.h"
#include "integration/golden_models.h"
#include "support/test_util.h"
#include "tflite/model.h"
#include "tflite/runner.h"
#include "tflite/summary.h"

namespace emlkit {
namespace {

using testing::CliResult;
using testing::GoldenModel;
using testing::PathExists;
using testing::RunEmlkit;

// The golden standard: identical bytes for integers, 1e-5 relative (tiny absolute floor) for
// floats.
void ExpectSameOutputs(const std::string& got_path, const std::string& want_path) {
  auto got = ReadNpy(got_path);
  auto want = ReadNpy(want_path);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_TRUE(want.ok()) << want.status().ToString();
  ASSERT_EQ(got->dtype(), want->dtype());
  ASSERT_EQ(got->shape(), want->shape());
  if (got->dtype() != DType::kFloat32) {
    EXPECT_EQ(std::memcmp(got->raw(), want->raw(), want->num_bytes()), 0) << got_path;
    // The whole file, header included, is what numpy wrote for TFLite Micro's outputs.
    EXPECT_EQ(ReadFileBytes(got_path).value(), ReadFileBytes(want_path).value());
    return;
  }
  int bad = 0;
  for (int64_t k = 0; k < want->num_elements(); ++k) {
    float g = got->data<float>()[k], w = want->data<float>()[k];
    if (std::fabs(g - w) > 1e-5f * std::max(std::fabs(g), std::fabs(w)) + 1e-6f && bad++ < 5) {
      ADD_FAILURE() << got_path << " element " << k << ": " << g << " vs " << w;
    }
  }
  EXPECT_EQ(bad, 0);
}

std::vector<std::string> InvokeArgs(const std::string& model, const GoldenModel& g,
                                    const std::string& out_dir) {
  std::vector<std::string> args = {"invoke", model};
  for (size_t i = 0; i < g.meta["inputs"].size(); ++i) {
    args.push_back("--input");
    args.push_back(g.dir + "/input" + std::to_string(i) + ".npy");
  }
  for (size_t i = 0; i < g.meta["outputs"].size(); ++i) {
    args.push_back("--output");
    args.push_back(out_dir + "/output" + std::to_string(i) + ".npy");
  }
  return args;
}

bool RunsOnEmlkit(const std::string& model) {
  auto s = tflite::SummarizeModelFile(model);
  return s.ok() && s->unsupported_ops.empty() && s->arena_bytes.has_value();
}

TEST(Invoke, EveryGoldenModelGivesTfliteMicrosOutputs) {
  EMLKIT_REQUIRE_SHARED(golden, "golden");
  int ran = 0;
  for (const GoldenModel& g : testing::LoadGoldenModels(golden)) {
    SCOPED_TRACE(g.name);
    ScratchDir out;
    CliResult r = RunEmlkit(InvokeArgs(g.model, g, out.path()));
    if (!RunsOnEmlkit(g.model)) {
      EXPECT_EQ(r.exit_code, 2);
      EXPECT_NE(r.err.find("unsupported by emlkit: "), std::string::npos) << r.err;
      EXPECT_FALSE(PathExists(out.Path("output0.npy"))) << "nothing is written on error";
      continue;
    }
    ++ran;
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (size_t i = 0; i < g.meta["outputs"].size(); ++i) {
      std::string name = "output" + std::to_string(i) + ".npy";
      ExpectSameOutputs(out.Path(name), g.dir + "/" + name);
    }
  }
  // At least the fully-connected models (thermostat, hello_world x2, ad01 x2) run today.
  EXPECT_GE(ran, 5);
}

// The host writer's files run in the runtime exactly like the originals.
TEST(Invoke, RewrittenGoldenModelsGiveTheSameOutputs) {
  EMLKIT_REQUIRE_SHARED(golden, "golden");
  int ran = 0;
  for (const GoldenModel& g : testing::LoadGoldenModels(golden)) {
    if (!RunsOnEmlkit(g.model)) continue;
    SCOPED_TRACE(g.name);
    ScratchDir out;
    auto m = tflite::ReadModelFile(g.model);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    ASSERT_TRUE(tflite::WriteModelFile(out.Path("rewritten.tflite"), *m).ok());
    CliResult r = RunEmlkit(InvokeArgs(out.Path("rewritten.tflite"), g, out.path()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (size_t i = 0; i < g.meta["outputs"].size(); ++i) {
      std::string name = "output" + std::to_string(i) + ".npy";
      ExpectSameOutputs(out.Path(name), g.dir + "/" + name);
    }
    ++ran;
  }
  EXPECT_GE(ran, 5);
}

// A float SVDF (input 3, 2 filters, memory 4): its output depends on the state left by earlier
// invocations, unlike the golden SVDF models, whose outputs saturate.
std::string WriteStatefulModel(const std::string& path) {
  tflite::Model m;
  auto floats = [](std::vector<float> v) {
    std::vector<uint8_t> b(v.size() * 4);
    std::memcpy(b.data(), v.data(), b.size());
    return b;
  };
  int in = m.AddTensor("in", tflite::TensorType::kFloat32, {1, 3});
  int wf = m.AddConstTensor("wf", tflite::TensorType::kFloat32, {2, 3},
                            floats({0.5f, -1.0f, 0.25f, 1.5f, 0.75f, -0.5f}));
  int wt = m.AddConstTensor("wt", tflite::TensorType::kFloat32, {2, 4},
                            floats({1.0f, 0.5f, 0.25f, 2.0f, -1.0f, 0.5f, 1.5f, 1.0f}));
  int state = m.AddTensor("state", tflite::TensorType::kFloat32, {1, 8});
  m.tensors[state].is_variable = true;
  int out = m.AddTensor("out", tflite::TensorType::kFloat32, {1, 2});
  tflite::Operator op;
  op.builtin_code = tflite::op::kSvdf;
  op.inputs = {in, wf, wt, -1, state};
  op.outputs = {out};
  op.options = tflite::SvdfOptions{1, tflite::Activation::kNone};
  m.AddOperator(op);
  m.inputs = {in};
  m.outputs = {out};
  EXPECT_TRUE(tflite::WriteModelFile(path, m).ok());
  return path;
}

TEST(Invoke, StateIsResetBeforeEachRecord) {
  ScratchDir tmp;
  std::string model = WriteStatefulModel(tmp.Path("svdf.tflite"));
  NpyArray x = NpyArray::Zeros(DType::kFloat32, {3, 1, 3});
  const float values[] = {1, 2, 3, -1, 0.5f, 2, 0.25f, -2, 1};
  std::memcpy(x.raw(), values, sizeof(values));
  ASSERT_TRUE(WriteNpy(tmp.Path("x.npy"), x).ok());
  CliResult r =
      RunEmlkit({"invoke", model, "--input", tmp.Path("x.npy"), "--output", tmp.Path("all.npy")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  NpyArray all = ReadNpy(tmp.Path("all.npy")).value();
  // Each record alone, in a fresh process, is the reference.
  for (int k = 0; k < 3; ++k) {
    NpyArray one = NpyArray::Zeros(DType::kFloat32, {1, 1, 3});
    std::memcpy(one.raw(), values + 3 * k, 3 * sizeof(float));
    ASSERT_TRUE(WriteNpy(tmp.Path("one.npy"), one).ok());
    r = RunEmlkit(
        {"invoke", model, "--input", tmp.Path("one.npy"), "--output", tmp.Path("one_out.npy")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    NpyArray want = ReadNpy(tmp.Path("one_out.npy")).value();
    EXPECT_EQ(std::memcmp(all.raw() + 8 * k, want.raw(), 8), 0) << "record " << k;
  }
  // Without a reset the model would give something else: the same record twice in a row.
  auto runner = tflite::Runner::Open(model);
  ASSERT_TRUE(runner.ok()) << runner.status().ToString();
  ASSERT_TRUE(runner->SetInput(0, values, sizeof(float) * 3).ok());
  ASSERT_TRUE(runner->Invoke().ok());
  std::vector<float> first = runner->OutputFloat(0);
  ASSERT_TRUE(runner->Invoke().ok());
  EXPECT_NE(runner->OutputFloat(0), first) << "the model must be stateful for this test to mean "
                                              "anything";
  EXPECT_EQ(std::memcmp(all.raw(), first.data(), 8), 0);
}

TEST(Invoke, InputWithoutTheBatchDimensionIsAccepted) {
  EMLKIT_REQUIRE_SHARED(dir, "golden/thermostat_mlp_int8");
  ScratchDir out;
  NpyArray in = ReadNpy(dir + "/input0.npy").value();  // [10, 1, 5]
  NpyArray flat = NpyArray::Zeros(DType::kInt8, {10, 5});
  std::memcpy(flat.raw(), in.raw(), in.num_bytes());
  ASSERT_TRUE(WriteNpy(out.Path("x.npy"), flat).ok());
  CliResult r = RunEmlkit({"invoke", dir + "/model.tflite", "--input", out.Path("x.npy"),
                           "--output", out.Path("y.npy")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectSameOutputs(out.Path("y.npy"), dir + "/output0.npy");
  EXPECT_NE(r.out.find("10 records through"), std::string::npos) << r.out;
}

TEST(Invoke, BadInputsExitWithCode2AndWriteNothing) {
  EMLKIT_REQUIRE_SHARED(dir, "golden/thermostat_mlp_int8");
  ScratchDir tmp;
  const std::string model = dir + "/model.tflite", in = dir + "/input0.npy";
  const std::string out = tmp.Path("out.npy");
  ASSERT_TRUE(WriteNpy(tmp.Path("f32.npy"), NpyArray::Zeros(DType::kFloat32, {4, 1, 5})).ok());
  ASSERT_TRUE(WriteNpy(tmp.Path("shape.npy"), NpyArray::Zeros(DType::kInt8, {4, 1, 6})).ok());
  ASSERT_TRUE(WriteNpy(tmp.Path("scalar.npy"), NpyArray::Zeros(DType::kInt8, {})).ok());
  testing::WriteText(tmp.Path("broken.npy"), "\x93NUMPY garbage");
  std::vector<uint8_t> bytes = ReadFileBytes(model).value();
  ASSERT_TRUE(WriteFileAtomic(tmp.Path("cut.tflite"), bytes.data(), 100).ok());
  struct Case {
    const char* what;
    std::vector<std::string> args;
    const char* expect;
  };
  const Case cases[] = {
      {"float for int8",
       {"invoke", model, "--input", tmp.Path("f32.npy"), "--output", out},
       "takes int8 values, but the file holds float32 (quantize the values first: q = "
       "round(x / 0.0078125) + 0)"},
      {"wrong shape",
       {"invoke", model, "--input", tmp.Path("shape.npy"), "--output", out},
       "shape [4, 1, 6] does not fit; expected [records, 1, 5]"},
      {"scalar",
       {"invoke", model, "--input", tmp.Path("scalar.npy"), "--output", out},
       "shape [] does not fit"},
      {"two inputs",
       {"invoke", model, "--input", in, "--input", in, "--output", out},
       "has 1 input (tensor 0 'serving_default_input:0' (int8 [1, 5])); got 2 input arrays"},
      {"two outputs",
       {"invoke", model, "--input", in, "--output", out, "--output", tmp.Path("o2.npy")},
       "has 1 output (tensor 10 'StatefulPartitionedCall:0' (int8 [1, 2])); got 2 --output"},
      {"no input", {"invoke", model, "--output", out}, "--input is required"},
      {"no output", {"invoke", model, "--input", in}, "--output is required"},
      {"broken npy",
       {"invoke", model, "--input", tmp.Path("broken.npy"), "--output", out},
       "broken.npy"},
      {"missing npy",
       {"invoke", model, "--input", tmp.Path("nope.npy"), "--output", out},
       "nope.npy"},
      {"truncated model",
       {"invoke", tmp.Path("cut.tflite"), "--input", in, "--output", out},
       "cut.tflite"},
      {"output folder missing",
       {"invoke", model, "--input", in, "--output", tmp.Path("no/such/dir/out.npy")},
       "no/such/dir"},
  };
  for (const Case& c : cases) {
    CliResult r = RunEmlkit(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.what << ": " << r.err;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << c.what << ": " << r.err;
    EXPECT_FALSE(PathExists(out)) << c.what << ": wrote an output despite the error";
  }
}

}  // namespace
}  // namespace emlkit
