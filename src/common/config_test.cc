#include "common/config.h"

#include <gtest/gtest.h>

namespace emlkit {
namespace {

TEST(Config, ReadsTypedValuesAndKeepsDefaults) {
  auto cfg =
      ConfigFile::Parse("[train]\nepochs = 30\nlr = 1e-3\nlayers = ['dense:16']\n", "e.toml");
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  auto train = cfg->Section("train");
  ASSERT_TRUE(train.ok());
  int epochs = 5;
  double lr = 0, momentum = 0.9;
  std::vector<std::string> layers;
  EXPECT_TRUE(train->Get("epochs", &epochs).ok());
  EXPECT_TRUE(train->Get("lr", &lr).ok());
  EXPECT_TRUE(train->Get("momentum", &momentum).ok());
  EXPECT_TRUE(train->Get("layers", &layers).ok());
  EXPECT_EQ(epochs, 30);
  EXPECT_DOUBLE_EQ(lr, 1e-3);
  EXPECT_DOUBLE_EQ(momentum, 0.9);
  EXPECT_EQ(layers, std::vector<std::string>{"dense:16"});
}

TEST(Config, WrongTypeNamesFileLineAndColumn) {
  auto cfg = ConfigFile::Parse("[train]\n\nepochs = \"many\"\n", "e.toml");
  ASSERT_TRUE(cfg.ok());
  int epochs = 5;
  Status s = cfg->Section("train")->Get("epochs", &epochs);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("e.toml:3:"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("epochs"), std::string::npos) << s.message();
  EXPECT_EQ(epochs, 5);
}

TEST(Config, UnknownKeyIsAnError) {
  auto cfg = ConfigFile::Parse("[data]\nfeatures = ['a']\nfeatuers = ['b']\n", "d.toml");
  ASSERT_TRUE(cfg.ok());
  Status s = cfg->Section("data")->CheckKnown({"features", "label"});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("d.toml:3:"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("featuers"), std::string::npos) << s.message();
  EXPECT_TRUE(cfg->CheckSections({"data"}).ok());
  EXPECT_FALSE(cfg->CheckSections({"train"}).ok());
}

TEST(Config, SyntaxErrorNamesThePlace) {
  auto cfg = ConfigFile::Parse("[data\nx = 1\n", "bad.toml");
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.status().message().find("bad.toml:1:"), std::string::npos)
      << cfg.status().message();
}

}  // namespace
}  // namespace emlkit
