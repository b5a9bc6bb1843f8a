#include "roomsim/occupants.h"

#include <gtest/gtest.h>

#include "roomsim/calendar.h"

namespace emlkit::roomsim {
namespace {

const int64_t kMonday = DaysFromCivil({2024, 2, 5});

void ExpectSortedAndDisjoint(const OccupancyPlan& plan) {
  for (const auto& it : plan.people) {
    for (size_t i = 0; i < it.size(); ++i) {
      EXPECT_LT(it[i].start_s, it[i].end_s);
      if (i > 0) {
        EXPECT_LE(it[i - 1].end_s, it[i].start_s);
      }
    }
  }
}

// Seconds person `p` spends in the room during day `d`.
int64_t SecondsOnDay(const OccupancyPlan& plan, size_t p, int d) {
  int64_t a = d * kSecondsPerDay, b = a + kSecondsPerDay, sum = 0;
  for (const Visit& v : plan.people[p])
    sum += std::max<int64_t>(0, std::min(b, v.end_s) - std::max(a, v.start_s));
  return sum;
}

TEST(OccupancyPlan, OfficeWorkdaysAndEmptyWeekends) {
  RoomProfile room = RoomProfileFor(RoomType::kOffice);
  std::vector<DayKind> kinds(14, DayKind::kRegular);
  OccupancyPlan plan = PlanOccupancy(room, kMonday, kinds, 5);
  ASSERT_EQ(plan.people.size(), 3u);  // two workers and the cleaner
  ExpectSortedAndDisjoint(plan);
  int64_t workday = 0, weekend = 0;
  for (int d = 0; d < 14; ++d) {
    for (size_t p = 0; p < 2; ++p) (d % 7 < 5 ? workday : weekend) += SecondsOnDay(plan, p, d);
  }
  EXPECT_GT(workday / (10.0 * 2 * 3600), 5.0);  // more than 5 h a day per worker on average
  EXPECT_LT(weekend, 2 * 3600 * 4);             // rare weekend visits
  for (const Visit& v : plan.people[2]) {       // the cleaner: brief evening visits
    EXPECT_LE(v.end_s - v.start_s, 10 * 60);
    int64_t sod = v.start_s % kSecondsPerDay;
    EXPECT_GE(sod, 18 * 3600 + 1800);
  }
}

TEST(OccupancyPlan, BedroomNightsCrossMidnight) {
  RoomProfile room = RoomProfileFor(RoomType::kBedroom);
  std::vector<DayKind> kinds(7, DayKind::kRegular);
  OccupancyPlan plan = PlanOccupancy(room, kMonday, kinds, 3);
  ExpectSortedAndDisjoint(plan);
  ASSERT_FALSE(plan.people[0].empty());
  EXPECT_EQ(plan.people[0][0].start_s, 0);  // asleep when the run starts
  int sleeps_over_midnight = 0;
  for (const Visit& v : plan.people[0]) {
    if (v.mode == VisitMode::kSleep && v.start_s / kSecondsPerDay != (v.end_s - 1) / kSecondsPerDay)
      ++sleeps_over_midnight;
  }
  EXPECT_GE(sleeps_over_midnight, 5);
}

TEST(OccupancyPlan, DayKindsReplaceTheRoutine) {
  RoomProfile room = RoomProfileFor(RoomType::kBedroom);
  std::vector<DayKind> kinds = {DayKind::kRegular, DayKind::kEmpty, DayKind::kBriefEntries,
                                DayKind::kStillOccupant, DayKind::kRegular};
  OccupancyPlan plan = PlanOccupancy(room, kMonday, kinds, 9);
  ExpectSortedAndDisjoint(plan);
  for (size_t p = 0; p < plan.people.size(); ++p) EXPECT_EQ(SecondsOnDay(plan, p, 1), 0) << p;
  int brief = 0;
  for (const auto& it : plan.people) {
    for (const Visit& v : it) {
      if (v.start_s / kSecondsPerDay != 2) continue;
      ++brief;
      EXPECT_LE(v.end_s - v.start_s, 270);
      EXPECT_EQ(v.mode, VisitMode::kBrief);
    }
  }
  EXPECT_GE(brief, 4);
  EXPECT_GT(SecondsOnDay(plan, 0, 3), 5 * 3600);
  EXPECT_EQ(SecondsOnDay(plan, 1, 3), 0);
}

TEST(OccupancyPlan, SameSeedSamePlanOtherDaysUnchanged) {
  RoomProfile room = RoomProfileFor(RoomType::kLiving);
  std::vector<DayKind> kinds(6, DayKind::kRegular);
  OccupancyPlan a = PlanOccupancy(room, kMonday, kinds, 11);
  OccupancyPlan b = PlanOccupancy(room, kMonday, kinds, 11);
  kinds[2] = DayKind::kEmpty;  // a scenario on day 3 leaves days 1, 2 and 4.. as they were
  OccupancyPlan c = PlanOccupancy(room, kMonday, kinds, 11);
  for (size_t p = 0; p < a.people.size(); ++p) {
    ASSERT_EQ(a.people[p].size(), b.people[p].size());
    for (int d : {0, 1, 3, 4, 5}) EXPECT_EQ(SecondsOnDay(a, p, d), SecondsOnDay(c, p, d)) << d;
  }
}

TEST(Occupants, ActivityDrivesThePirAndEmissions) {
  OccupancyPlan plan;
  plan.people.resize(2);
  plan.people[0] = {{600, 4 * 3600, VisitMode::kNormal, 0}};
  plan.people[1] = {{600, 4 * 3600, VisitMode::kStill, 0}};
  Occupants occ(RoomType::kOffice, plan, 1);
  PeopleNow first = occ.Step(600, 60);
  EXPECT_EQ(first.present, 2);
  EXPECT_EQ(first.arrived, 2);
  EXPECT_EQ(occ.activity(0), Activity::kActive);  // walking in
  int still_minutes = 0;
  for (int64_t t = 660; t < 4 * 3600 - 60; t += 60) {
    PeopleNow n = occ.Step(t, 60);
    EXPECT_EQ(n.present, 2);
    if (occ.activity(1) == Activity::kStill) ++still_minutes;
    EXPECT_GE(n.co2_m3_s, 2 * 0.0046e-3 - 1e-12);  // between both still and both active
    EXPECT_LE(n.co2_m3_s, 2 * 0.0085e-3 + 1e-12);
  }
  EXPECT_GT(still_minutes, 150);  // the still visitor sits still most of the time
  PeopleNow leaving = occ.Step(4 * 3600, 60);
  EXPECT_EQ(leaving.present, 0);
  EXPECT_EQ(leaving.left, 2);
  EXPECT_GT(leaving.pir_rate, 0);
  EXPECT_EQ(occ.Step(4 * 3600 + 60, 60).pir_rate, 0);
}

TEST(Pet, StaysOutWhenNotHomeAndMovesWhenHome) {
  Pet pet(4);
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(pet.Step(false, 60).in_room);
  int in_room = 0, moving = 0;
  for (int i = 0; i < 10000; ++i) {
    PetNow n = pet.Step(true, 60);
    in_room += n.in_room;
    moving += n.pir_rate > 1;
  }
  EXPECT_NEAR(in_room / 10000.0, 0.4, 0.1);  // ~40 min in, ~60 min out
  EXPECT_GT(moving, 300);
  EXPECT_LT(moving, in_room);
}

}  // namespace
}  // namespace emlkit::roomsim
