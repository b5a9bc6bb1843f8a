// The `emlkit` metadata helpers.
#include "tflite/metadata.h"

#include <gtest/gtest.h>

#include "common/version.h"

namespace emlkit::tflite {
namespace {

TEST(Metadata, SetAddsTheFrameAndIsDeterministic) {
  Model a, b;
  SetEmlkitMetadata(&a, {{"task", "classification"}, {"labels", {"empty", "occupied"}}});
  SetEmlkitMetadata(&b, {{"labels", {"empty", "occupied"}}, {"task", "classification"}});
  EXPECT_EQ(a.GetMetadata("emlkit"), b.GetMetadata("emlkit"));
  EXPECT_EQ(*a.GetMetadata("emlkit"),
            std::string(R"({"emlkit_version":")") + kVersion +
                R"(","format":"emlkit-model","labels":["empty","occupied"],)"
                R"("task":"classification","version":1})");
  auto md = GetEmlkitMetadata(a, "a.tflite");
  ASSERT_TRUE(md.ok()) << md.status().ToString();
  ASSERT_TRUE(md->has_value());
  EXPECT_EQ((**md)["labels"][1], "occupied");
}

TEST(Metadata, SurvivesWriteAndRead) {
  Model m;
  int in = m.AddTensor("in", TensorType::kFloat32, {1, 2});
  m.inputs = m.outputs = {in};
  SetEmlkitMetadata(&m, {{"task", "anomaly"}, {"anomaly", {{"threshold", 0.25}}}});
  auto bytes = WriteModel(m);
  ASSERT_TRUE(bytes.ok());
  auto back = ReadModel(bytes->data(), bytes->size(), "m");
  ASSERT_TRUE(back.ok());
  auto md = GetEmlkitMetadata(*back, "m");
  ASSERT_TRUE(md.ok() && md->has_value());
  EXPECT_EQ((**md)["anomaly"]["threshold"], 0.25);
}

TEST(Metadata, AbsentIsNotAnError) {
  auto md = GetEmlkitMetadata(Model(), "m");
  ASSERT_TRUE(md.ok());
  EXPECT_FALSE(md->has_value());
}

TEST(Metadata, BadDocumentsAreNamed) {
  struct Case {
    std::string text;
    StatusCode code;
    std::string expect;
  };
  const Case cases[] = {
      {"not json", StatusCode::kCorruption, "m.tflite: the 'emlkit' metadata is not a JSON object"},
      {"[1,2]", StatusCode::kCorruption, "not a JSON object"},
      {R"({"format":"other","version":1})", StatusCode::kCorruption, "has format \"other\""},
      {R"({"format":"emlkit-model"})", StatusCode::kCorruption, "has version null"},
      {R"({"format":"emlkit-model","version":7})", StatusCode::kUnsupported,
       "has version 7; this emlkit reads up to version 1"},
  };
  for (const Case& c : cases) {
    Model m;
    m.SetMetadata("emlkit", c.text);
    auto md = GetEmlkitMetadata(m, "m.tflite");
    ASSERT_FALSE(md.ok()) << c.text;
    EXPECT_EQ(md.status().code(), c.code) << c.text;
    EXPECT_NE(md.status().message().find(c.expect), std::string::npos) << md.status().message();
  }
}

}  // namespace
}  // namespace emlkit::tflite
