#include "data/label_rule.h"

#include <gtest/gtest.h>

#include <cmath>

namespace emlkit::data {
namespace {

std::vector<uint8_t> Eval(const std::string& rule, std::vector<std::vector<double>> cols,
                          std::vector<std::string> names) {
  auto r = LabelRule::Parse(rule, "--label-rule");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->Bind(names).ok());
  std::vector<const std::vector<double>*> ptrs;
  for (const std::string& c : r->columns())
    ptrs.push_back(
        &cols[static_cast<size_t>(std::find(names.begin(), names.end(), c) - names.begin())]);
  return r->Evaluate(ptrs);
}

TEST(LabelRule, AnyOverLastRows) {
  EXPECT_EQ(Eval("any(motion > 0, 3)", {{0, 1, 0, 0, 0, 1}}, {"motion"}),
            (std::vector<uint8_t>{0, 1, 1, 1, 0, 1}));
  EXPECT_EQ(Eval("all(motion >= 1, 2)", {{1, 1, 0, 1, 1}}, {"motion"}),
            (std::vector<uint8_t>{1, 1, 0, 0, 1}));
}

TEST(LabelRule, BooleansPrecedenceAndMissing) {
  std::vector<std::vector<double>> cols = {{900, 900, 100, std::nan("")}, {10, 80, 80, 80}};
  EXPECT_EQ(Eval("CO2 > 800 and not Light < 50", cols, {"CO2", "Light"}),
            (std::vector<uint8_t>{0, 1, 0, 0}));
  EXPECT_EQ(Eval("CO2 > 800 or Light == 80 and CO2 < 200", cols, {"CO2", "Light"}),
            (std::vector<uint8_t>{1, 1, 1, 0}));
  EXPECT_EQ(Eval("\"CO2\" != 900", cols, {"CO2", "Light"}), (std::vector<uint8_t>{0, 0, 1, 0}));
}

TEST(LabelRule, ErrorsPointAtTheCharacter) {
  auto e = [](const std::string& rule) {
    auto r = LabelRule::Parse(rule, "--label-rule");
    return r.ok() ? std::string("(ok)") : r.status().message();
  };
  EXPECT_EQ(e("any(motion > 0 5)").rfind("--label-rule:1:16: expected ','", 0), 0u)
      << e("any(motion > 0 5)");
  EXPECT_EQ(e("motion >").rfind("--label-rule:1:9: expected a number", 0), 0u) << e("motion >");
  EXPECT_EQ(e("motion = 1").rfind("--label-rule:1:8: expected a comparison", 0), 0u)
      << e("motion = 1");
  EXPECT_EQ(e("any(motion > 0, 0)").rfind("--label-rule:1:17: expected a row count", 0), 0u);
  EXPECT_EQ(e("(a > 1").rfind("--label-rule:1:7: expected ')'", 0), 0u);
  auto r = LabelRule::Parse("a > 1 and motoin > 0", "--label-rule");
  ASSERT_TRUE(r.ok());
  Status s = r->Bind({"a", "motion"});
  EXPECT_EQ(s.message().rfind("--label-rule:1:11: unknown column 'motoin'", 0), 0u) << s.message();
}

}  // namespace
}  // namespace emlkit::data
