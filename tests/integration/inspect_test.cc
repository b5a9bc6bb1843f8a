// `emlkit inspect`: every golden model described as its meta.json says (ops, inputs, outputs,
// size), unsupported ops named, counts and arena reported, metadata shown; bad files refused
// with exit code 2.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "common/fs.h"
#include "integration/golden_models.h"
#include "support/test_util.h"
#include "tflite/model.h"

namespace emlkit {
namespace {

using nlohmann::json;
using testing::RunEmlkit;

json InspectJson(const std::string& model) {
  testing::CliResult r = RunEmlkit({"inspect", model, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << "--json keeps stderr quiet on success: " << r.err;
  return json::parse(r.out, nullptr, false);
}

// The tensor description of inspect --json against meta.json's.
void ExpectSameTensor(const json& got, const json& want) {
  EXPECT_EQ(got["tensor_index"], want["tensor_index"]);
  EXPECT_EQ(got["dtype"], want["dtype"]);
  EXPECT_EQ(got["shape"], want["shape"]);
  EXPECT_EQ(got["zero_point"], want["zero_point"]);
  if (want["scale"].is_null()) {
    EXPECT_TRUE(got["scale"].is_null());
  } else {
    // meta.json prints scales with 9 significant digits.
    double g = got["scale"].get<double>(), w = want["scale"].get<double>();
    EXPECT_NEAR(g, w, 1e-8 * std::fabs(w));
  }
}

TEST(Inspect, EveryGoldenModelAsItsMetaSays) {
  EMLKIT_REQUIRE_SHARED(golden, "golden");
  auto models = testing::LoadGoldenModels(golden);
  ASSERT_GE(models.size(), 10u);
  for (const auto& g : models) {
    SCOPED_TRACE(g.name);
    json j = InspectJson(g.model);
    ASSERT_FALSE(j.is_discarded()) << "stdout is not one JSON document";
    EXPECT_EQ(j["ops"], g.meta["ops"]);
    EXPECT_EQ(j["model_bytes"], g.meta["model_bytes"]);
    ASSERT_EQ(j["inputs"].size(), g.meta["inputs"].size());
    for (size_t i = 0; i < j["inputs"].size(); ++i) {
      ExpectSameTensor(j["inputs"][i], g.meta["inputs"][i]);
    }
    ASSERT_EQ(j["outputs"].size(), g.meta["outputs"].size());
    for (size_t i = 0; i < j["outputs"].size(); ++i) {
      ExpectSameTensor(j["outputs"][i], g.meta["outputs"][i]);
    }
    ASSERT_EQ(j["op_details"].size(), j["ops"].size());
    int64_t macs = 0, params = 0;
    for (const auto& d : j["op_details"]) {
      macs += d["macs"].get<int64_t>();
      params += d["params"].get<int64_t>();
    }
    EXPECT_EQ(j["macs"].get<int64_t>(), macs);
    // Shared weights count once in the total.
    EXPECT_LE(j["params"].get<int64_t>(), params);
    if (g.name != "simple_add_model") {
      EXPECT_GT(j["params"].get<int64_t>(), 0);
    }
    // Every unsupported op is one of the model's ops; the arena is planned exactly when all ops
    // are supported.
    for (const auto& u : j["unsupported_ops"]) {
      EXPECT_NE(std::find(j["ops"].begin(), j["ops"].end(), u), j["ops"].end()) << u;
    }
    if (j["unsupported_ops"].empty()) {
      ASSERT_TRUE(j["arena_bytes"].is_number()) << j["arena_note"];
      EXPECT_GT(j["arena_bytes"].get<int64_t>(), 0);
    } else {
      EXPECT_TRUE(j["arena_bytes"].is_null());
      EXPECT_TRUE(j["arena_note"].is_string());
    }
    if (g.optional()) {
      // LSTM and the audio-signal custom ops are not run by emlkit: inspect must say so.
      EXPECT_FALSE(j["unsupported_ops"].empty());
      for (const auto& op : g.meta["ops"]) {
        std::string name = op.get<std::string>();
        if (name.find("LSTM") != std::string::npos || name.rfind("CUSTOM:", 0) == 0) {
          EXPECT_NE(std::find(j["unsupported_ops"].begin(), j["unsupported_ops"].end(), name),
                    j["unsupported_ops"].end())
              << name;
        }
      }
    }
  }
}

TEST(Inspect, TextNamesUnsupportedOpsFirst) {
  EMLKIT_REQUIRE_SHARED(model, "golden/dtln_noise_suppression/model.tflite");
  testing::CliResult r = RunEmlkit({"inspect", model});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  size_t at = r.out.find("unsupported by emlkit: UNIDIRECTIONAL_SEQUENCE_LSTM (ops 0, 1)");
  EXPECT_NE(at, std::string::npos) << r.out;
  EXPECT_LT(at, r.out.find("\nops:")) << "the verdict comes before the details";
  EXPECT_NE(r.out.find("arena: not planned"), std::string::npos) << r.out;
}

TEST(Inspect, ThermostatCountsArenaAndTensors) {
  EMLKIT_REQUIRE_SHARED(model, "golden/thermostat_mlp_int8/model.tflite");
  json j = InspectJson(model);
  EXPECT_EQ(j["params"], 402);  // 5x16+16 + 16x16+16 + 16x2+2
  EXPECT_EQ(j["macs"], 368);    // TFLM_FIGURES.md: 368 multiply-accumulates
  EXPECT_EQ(j["unsupported_ops"], json::array());
  EXPECT_EQ(j["runs_on_emlkit"], true);
  ASSERT_TRUE(j["arena_bytes"].is_number());
  EXPECT_EQ(j["op_details"][1]["macs"], 256);
  EXPECT_EQ(j["op_details"][1]["params"], 272);
  ASSERT_EQ(j["tensors"].size(), 11u);
  EXPECT_EQ(j["tensors"][1]["name"], "dense_1/kernel");
  EXPECT_EQ(j["tensors"][1]["constant"], true);
  EXPECT_EQ(j["tensors"][1]["scale"].size(), 16u);  // per-channel
  EXPECT_EQ(j["tensors"][1]["quantized_dimension"], 0);
  EXPECT_TRUE(j["metadata"].is_null());

  testing::CliResult r = RunEmlkit({"inspect", model});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("runs on emlkit: yes, all 4 ops are supported"), std::string::npos);
  EXPECT_NE(r.out.find("MACs per inference: 368"), std::string::npos);
  EXPECT_NE(r.out.find("arena: " + std::to_string(j["arena_bytes"].get<int>()) + " bytes"),
            std::string::npos)
      << r.out;
}

TEST(Inspect, ShowsEmlkitMetadata) {
  EMLKIT_REQUIRE_SHARED(model, "golden/thermostat_mlp_int8/model.tflite");
  auto m = tflite::ReadModelFile(model);
  ASSERT_TRUE(m.ok());
  m->SetMetadata(
      "emlkit",
      R"({"format":"emlkit-model","labels":["empty","occupied"],"task":"classification","version":1})");
  ScratchDir dir;
  ASSERT_TRUE(tflite::WriteModelFile(dir.Path("m.tflite"), *m).ok());
  json j = InspectJson(dir.Path("m.tflite"));
  EXPECT_EQ(j["metadata"]["task"], "classification");
  EXPECT_EQ(j["metadata"]["labels"][1], "occupied");
  testing::CliResult r = RunEmlkit({"inspect", dir.Path("m.tflite")});
  EXPECT_NE(r.out.find("metadata 'emlkit':\n{\n  \"format\": \"emlkit-model\""), std::string::npos)
      << r.out;
}

TEST(Inspect, BadFilesExitWithCode2AndAClearMessage) {
  EMLKIT_REQUIRE_SHARED(model, "golden/hello_world_int8/model.tflite");
  ScratchDir dir;
  std::vector<uint8_t> bytes = ReadFileBytes(model).value();
  std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + bytes.size() / 2);
  ASSERT_TRUE(WriteFileAtomic(dir.Path("cut.tflite"), cut.data(), cut.size()).ok());
  std::vector<uint8_t> renamed = bytes;
  std::memcpy(renamed.data() + 4, "XXXX", 4);
  ASSERT_TRUE(WriteFileAtomic(dir.Path("id.tflite"), renamed.data(), renamed.size()).ok());
  struct Case {
    std::string path, expect;
  };
  const Case cases[] = {
      {dir.Path("cut.tflite"), "FlatBuffers verifier rejected the file"},
      {dir.Path("id.tflite"), "file identifier is 'XXXX', not 'TFL3'"},
      {dir.Path("missing.tflite"), "missing.tflite"},
      {dir.path(), dir.path()},
  };
  for (const Case& c : cases) {
    for (bool as_json : {false, true}) {
      std::vector<std::string> args = {"inspect", c.path};
      if (as_json) args.push_back("--json");
      testing::CliResult r = RunEmlkit(args);
      EXPECT_EQ(r.exit_code, 2) << c.path;
      EXPECT_NE(r.err.find("emlkit: error: "), std::string::npos) << r.err;
      EXPECT_NE(r.err.find(c.expect), std::string::npos) << r.err;
      EXPECT_TRUE(r.out.empty()) << r.out;
    }
  }
}

}  // namespace
}  // namespace emlkit
