// Architecture specs: what parses, how it prints, and the messages for what does not.
#include "train/layer_spec.h"

#include <gtest/gtest.h>

namespace emlkit::train {
namespace {

TEST(LayerSpec, ParsesEveryLayerAndRoundTrips) {
  const std::string text =
      "conv1d:16:3:relu:stride=2:padding=same,maxpool1d:2,avgpool1d:3:stride=1,gap,dense:8:tanh,"
      "dropout:0.25,flatten,relu6,softmax,dense:4";
  auto specs = ParseLayers(text, "test");
  ASSERT_TRUE(specs.ok()) << specs.status().ToString();
  ASSERT_EQ(specs->size(), 10u);
  const LayerSpec& c = (*specs)[0];
  EXPECT_EQ(c.kind, LayerKind::kConv1D);
  EXPECT_EQ(c.units, 16);
  EXPECT_EQ(c.size, 3);
  EXPECT_EQ(c.stride, 2);
  EXPECT_EQ(c.padding, Pad::kSame);
  EXPECT_EQ(c.act, Act::kRelu);
  EXPECT_EQ((*specs)[1].stride, 2);  // pooling stride defaults to the window
  EXPECT_FLOAT_EQ((*specs)[5].rate, 0.25f);
  EXPECT_EQ((*specs)[7].kind, LayerKind::kActivation);
  EXPECT_EQ(FormatLayers(*specs), text);
  auto spaced = ParseLayers(" dense : 8 : relu , dense:4 ", "test");
  ASSERT_TRUE(spaced.ok());
  EXPECT_EQ(FormatLayers(*spaced), "dense:8:relu,dense:4");
}

TEST(LayerSpec, ErrorsNameTheLayerAndColumn) {
  struct Case {
    const char* text;
    const char* message;
  };
  for (const Case& c :
       {Case{"dense:0",
             "layer 1 ('dense:0'), column 7: dense units must be an "
             "integer from 1"},
        Case{"dense:8,conv1d:4",
             "layer 2 ('conv1d:4'), column 9: expected "
             "conv1d:FILTERS:KERNEL"},
        Case{"dense:8:relu:tanh", "column 1: expected dense:UNITS[:ACTIVATION]"},
        Case{"conv1d:4:3:relu:tanh", "column 17: unexpected 'tanh'"},
        Case{"maxpool1d:2:padding=same", "unknown option 'padding'; known: stride"},
        Case{"conv1d:4:3:padding=full", "padding must be 'valid' or 'same'"},
        Case{"conv1d:4:3:stride=0", "column 19: stride must be an integer"},
        Case{"dropout:1", "dropout rate must be a number in [0, 1)"},
        Case{"lstm:8", "unknown layer 'lstm'; known: dense"},
        Case{"dense:8,", "layer 2, column 9: empty layer"}, Case{"", "the layer list is empty"}}) {
    auto r = ParseLayers(c.text, "--layers");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(c.message), std::string::npos)
        << c.text << " -> " << r.status().message();
    EXPECT_EQ(r.status().message().rfind("--layers: ", 0), 0u) << r.status().message();
  }
}

}  // namespace
}  // namespace emlkit::train
