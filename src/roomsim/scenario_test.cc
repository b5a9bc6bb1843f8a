#include "roomsim/scenario.h"

#include <gtest/gtest.h>

namespace emlkit::roomsim {
namespace {

TEST(Scenario, NamesRoundTrip) {
  EXPECT_EQ(AllScenarios().size(), 12u);
  for (const ScenarioInfo& i : AllScenarios()) {
    auto id = ParseScenarioName(i.name);
    ASSERT_TRUE(id.ok());
    EXPECT_EQ(*id, i.id);
    EXPECT_STREQ(ScenarioName(i.id), i.name);
  }
  auto bad = ParseScenarioName("sunny");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("sunny-empty"), std::string::npos);  // lists the names
}

TEST(Scenario, ParsesDayRanges) {
  auto all = ParseScenarioUse("pet", 10);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->first_day, 0);
  EXPECT_EQ(all->last_day, 9);
  auto one = ParseScenarioUse("pet:3", 10);
  EXPECT_EQ(one->first_day, 2);
  EXPECT_EQ(one->last_day, 2);
  auto range = ParseScenarioUse("sunny-empty:2-4", 10);
  EXPECT_EQ(range->first_day, 1);
  EXPECT_EQ(range->last_day, 3);
  for (const char* bad : {"pet:0", "pet:11", "pet:4-2", "pet:x", "pet:", "pet:1-"}) {
    auto r = ParseScenarioUse(bad, 10);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find(bad), std::string::npos) << r.status().message();
  }
}

TEST(Scenario, BuildsDaySetups) {
  std::vector<ScenarioUse> uses = {
      *ParseScenarioUse("sunny-empty:2", 4), *ParseScenarioUse("pet:2-3", 4),
      *ParseScenarioUse("stuck-sensor:4", 4), *ParseScenarioUse("cold-snap:1", 4)};
  FaultRates global = ParseFaults({"spike:light"}).value();
  auto setup = BuildDaySetups(uses, global, 4);
  ASSERT_TRUE(setup.ok()) << setup.status().ToString();
  const auto& d = *setup;
  EXPECT_EQ(d[0].people, DayKind::kRegular);
  EXPECT_TRUE(d[0].clear_sky);
  EXPECT_EQ(d[0].outdoor_shift_c, -12);
  EXPECT_EQ(d[1].people, DayKind::kEmpty);
  EXPECT_TRUE(d[1].clear_sky);
  EXPECT_TRUE(d[1].pet);
  EXPECT_TRUE(d[2].pet);
  EXPECT_FALSE(d[3].pet);
  EXPECT_NE(d[3].faults.forced_stuck, 0);
  for (const DaySetup& s : d) EXPECT_GT(s.faults.per_day[0][kLight], 0);  // the global faults
}

TEST(Scenario, WhoIsInTheRoomCannotBeDecidedTwice) {
  std::vector<ScenarioUse> uses = {*ParseScenarioUse("brief-entry", 5),
                                   *ParseScenarioUse("still-occupant:3", 5)};
  auto r = BuildDaySetups(uses, FaultRates(), 5);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("day 3"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("brief-entry"), std::string::npos);
  // The same scenario twice is fine.
  uses = {*ParseScenarioUse("holiday", 5), *ParseScenarioUse("holiday:2", 5)};
  EXPECT_TRUE(BuildDaySetups(uses, FaultRates(), 5).ok());
}

}  // namespace
}  // namespace emlkit::roomsim
