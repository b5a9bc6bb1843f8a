// Every `emlkit roomsim` scenario has a test here that checks its defining property in the CSV
// the command writes (generated for a week of the default office unless stated).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "common/fs.h"
#include "integration/roomsim_csv.h"
#include "support/test_util.h"

namespace emlkit {
namespace {

using testing::ParseRoomCsv;
using testing::RoomRow;
using testing::RunEmlkit;

struct SimRun {
  std::vector<RoomRow> rows;
  nlohmann::json summary;
};

SimRun Roomsim(std::vector<std::string> extra, const std::string& days = "7") {
  ScratchDir dir("roomsim");
  std::vector<std::string> args = {"roomsim", "--days", days, "--json", "--out", dir.Path("r.csv")};
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = RunEmlkit(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  SimRun run;
  std::string header;
  run.rows = ParseRoomCsv(testing::ReadText(dir.Path("r.csv")), &header);
  if (r.exit_code == 0) run.summary = nlohmann::json::parse(r.out);
  return run;
}

std::map<std::string, std::vector<const RoomRow*>> ByDay(const std::vector<RoomRow>& rows) {
  std::map<std::string, std::vector<const RoomRow*>> days;
  for (const RoomRow& r : rows) days[r.Day()].push_back(&r);
  return days;
}

// Lengths of the runs of consecutive occupied rows.
std::vector<int> OccupiedRuns(const std::vector<RoomRow>& rows) {
  std::vector<int> runs;
  int n = 0;
  for (const RoomRow& r : rows) {
    if (r.occupied) {
      ++n;
    } else if (n > 0) {
      runs.push_back(n);
      n = 0;
    }
  }
  if (n > 0) runs.push_back(n);
  return runs;
}

TEST(RoomsimScenario, NormalOfficeFollowsTheWorkweek) {
  SimRun run = Roomsim({"--scenario", "normal"});
  auto days = ByDay(run.rows);
  ASSERT_EQ(days.size(), 7u);
  int d = 0;
  for (const auto& [day, rows] : days) {
    int occupied = 0;
    for (const RoomRow* r : rows) occupied += r->occupied;
    double share = static_cast<double>(occupied) / rows.size();
    if (d < 5) {
      EXPECT_GT(share, 0.2) << day;  // Monday..Friday
    } else {
      EXPECT_LT(share, 0.1) << day;  // the weekend
    }
    ++d;
  }
}

TEST(RoomsimScenario, SunnyEmptyRoomWarmsWithNobodyInIt) {
  // Heater off, so any warming is the sun's.
  SimRun sunny = Roomsim({"--scenario", "sunny-empty", "--heating", "off"});
  SimRun dull = Roomsim({"--scenario", "holiday", "--heating", "off"});
  // Per day: afternoon maximum minus morning minimum.
  auto rises = [](const SimRun& run) {
    std::vector<double> out;
    for (const auto& [day, rows] : ByDay(run.rows)) {
      double morning = 1e9, afternoon = -1e9;
      for (const RoomRow* r : rows) {
        if (r->Hour() >= 7 && r->Hour() < 10) morning = std::min(morning, r->temperature_c);
        if (r->Hour() >= 11 && r->Hour() < 17) afternoon = std::max(afternoon, r->temperature_c);
      }
      out.push_back(afternoon - morning);
    }
    return out;
  };
  for (const RoomRow& r : sunny.rows) {
    ASSERT_EQ(r.occupied, 0) << r.timestamp;
    ASSERT_EQ(r.motion, 0) << r.timestamp;
  }
  std::vector<double> sunny_rise = rises(sunny), dull_rise = rises(dull);
  double sunny_sum = 0, dull_sum = 0;
  for (size_t d = 0; d < sunny_rise.size(); ++d) {
    EXPECT_GT(sunny_rise[d], 2.5) << "day " << d + 1;  // several degrees, every day
    sunny_sum += sunny_rise[d];
    dull_sum += dull_rise[d];
  }
  EXPECT_GT(sunny_sum, dull_sum + 7 * 1.0);  // because of the sun: the same days, usual weather
  double max_light = 0;
  for (const RoomRow& r : sunny.rows) max_light = std::max(max_light, r.light_lux);
  EXPECT_GT(max_light, 250);  // daylight only: no lamp is on in an empty room
}

TEST(RoomsimScenario, BriefEntriesAreShort) {
  SimRun run = Roomsim({"--scenario", "brief-entry"});
  std::vector<int> runs = OccupiedRuns(run.rows);
  EXPECT_GE(runs.size(), 7u * 4);
  for (int n : runs) EXPECT_LE(n, 5) << "an entry of " << n << " minutes";
  // Each entry shows on the PIR (people walk in).
  int with_motion = 0;
  for (size_t i = 1; i < run.rows.size(); ++i) {
    if (run.rows[i].occupied && !run.rows[i - 1].occupied) with_motion += run.rows[i].motion > 0;
  }
  EXPECT_GE(with_motion, static_cast<int>(runs.size()) * 9 / 10);
}

TEST(RoomsimScenario, StillOccupantIsMostlyInvisibleToThePir) {
  SimRun run = Roomsim({"--scenario", "still-occupant"});
  int occupied = 0, silent = 0;
  double co2_occupied = 0;
  for (const RoomRow& r : run.rows) {
    if (!r.occupied) continue;
    ++occupied;
    silent += r.motion == 0;
    co2_occupied += r.co2_ppm;
  }
  ASSERT_GT(occupied, 7 * 6 * 60);  // two long sessions a day
  EXPECT_GT(static_cast<double>(silent) / occupied, 0.75);
  EXPECT_GT(co2_occupied / occupied, 650);  // yet the room fills with CO2
}

TEST(RoomsimScenario, PetTriggersThePirWithNobodyThere) {
  auto motion_when_empty = [](const SimRun& run) {
    int empty = 0, moving = 0;
    for (const RoomRow& r : run.rows) {
      if (r.occupants != 0) continue;
      ++empty;
      moving += r.motion > 0;
    }
    return static_cast<double>(moving) / empty;
  };
  SimRun pet = Roomsim({"--scenario", "pet"});
  SimRun normal = Roomsim({});
  EXPECT_GT(motion_when_empty(pet), 0.05);
  EXPECT_LT(motion_when_empty(normal), 0.01);
  for (const RoomRow& r : pet.rows) EXPECT_EQ(r.occupied, r.occupants > 0 ? 1 : 0);
}

TEST(RoomsimScenario, SensorSpikesStandOutAndAreMarked) {
  SimRun run = Roomsim({"--scenario", "sensor-spikes"});
  const auto& rows = run.rows;
  int marked = 0, standing_out = 0;
  for (size_t i = 1; i + 1 < rows.size(); ++i) {
    if (rows[i].fault.find("spike:co2") == std::string::npos) continue;
    if (rows[i - 1].fault != "none" || rows[i + 1].fault != "none") continue;
    ++marked;
    double neighbours = 0.5 * (rows[i - 1].co2_ppm + rows[i + 1].co2_ppm);
    standing_out += std::fabs(rows[i].co2_ppm - neighbours) > 300;
  }
  EXPECT_GT(marked, 7 * 24 / 2);
  EXPECT_GT(standing_out, marked * 9 / 10);
  int unmarked_jumps = 0;  // outside spikes, CO2 never jumps that far in a minute
  for (size_t i = 1; i < rows.size(); ++i) {
    if (rows[i].fault == "none" && rows[i - 1].fault == "none")
      unmarked_jumps += std::fabs(rows[i].co2_ppm - rows[i - 1].co2_ppm) > 300;
  }
  EXPECT_EQ(unmarked_jumps, 0);
}

TEST(RoomsimScenario, StuckSensorRepeatsOneValueForHours) {
  SimRun run = Roomsim({"--scenario", "stuck-sensor"});
  for (const auto& [day, rows] : ByDay(run.rows)) {
    int longest = 0, current = 0, marked = 0;
    for (size_t i = 1; i < rows.size(); ++i) {
      bool stuck = rows[i]->fault.find("stuck:temperature") != std::string::npos;
      marked += stuck;
      current = stuck && rows[i]->temperature_c == rows[i - 1]->temperature_c ? current + 1 : 0;
      longest = std::max(longest, current);
    }
    EXPECT_GE(longest, 3 * 60 - 2) << day;  // 3 to 6 hours of one value
    EXPECT_GE(marked, 3 * 60 - 1) << day;
  }
}

TEST(RoomsimScenario, DropoutLeavesEmptyFieldsAndGaps) {
  SimRun run = Roomsim({"--scenario", "dropout"});
  EXPECT_LT(run.rows.size(), 7u * 1440);  // whole rows lost
  EXPECT_EQ(run.summary["rows"], 7 * 1440);
  int empty = 0, empty_marked = 0;
  for (const RoomRow& r : run.rows) {
    bool e = std::isnan(r.co2_ppm);
    empty += e;
    empty_marked += e && r.fault.find("dropout:co2") != std::string::npos;
  }
  EXPECT_GT(empty, 20);
  EXPECT_EQ(empty, empty_marked);
}

TEST(RoomsimScenario, DriftGrowsDayByDay) {
  SimRun drift = Roomsim({"--scenario", "drift"});
  SimRun normal = Roomsim({});
  ASSERT_EQ(drift.rows.size(), normal.rows.size());
  std::vector<double> per_day(7, 0);
  for (size_t i = 0; i < drift.rows.size(); ++i) {
    EXPECT_NE(drift.rows[i].fault.find("drift:co2"), std::string::npos);
    per_day[i / 1440] += (drift.rows[i].co2_ppm - normal.rows[i].co2_ppm) / 1440;
  }
  EXPECT_LT(std::fabs(per_day[0]), 12);
  EXPECT_GT(std::fabs(per_day[6]), 30);  // 40..80 ppm a week
  EXPECT_GT(std::fabs(per_day[6]), 4 * std::fabs(per_day[1]));
}

TEST(RoomsimScenario, ColdSnapNeedsMoreHeat) {
  SimRun cold = Roomsim({"--scenario", "cold-snap"});
  SimRun normal = Roomsim({});
  EXPECT_GT(cold.summary["heater_kwh"].get<double>(),
            1.5 * normal.summary["heater_kwh"].get<double>());
}

TEST(RoomsimScenario, OpenWindowDropsTemperatureFast) {
  auto fastest_drop = [](const SimRun& run, size_t day) {
    double best = 0;
    const auto& rows = run.rows;
    for (size_t i = day * 1440; i + 20 < (day + 1) * 1440; ++i)
      best = std::max(best, rows[i].temperature_c - rows[i + 20].temperature_c);
    return best;
  };
  SimRun open = Roomsim({"--scenario", "open-window:2-3"}, "4");
  SimRun normal = Roomsim({}, "4");
  EXPECT_LT(fastest_drop(open, 0), 1.0);  // day 1 is untouched
  for (size_t d : {1, 2}) {
    EXPECT_GT(fastest_drop(open, d), 1.5) << "day " << d + 1;
    EXPECT_LT(fastest_drop(normal, d), 1.0) << "day " << d + 1;
  }
}

TEST(RoomsimScenario, HolidayKeepsEveryoneAway) {
  SimRun run = Roomsim({"--scenario", "holiday:1-2"}, "3");
  for (const RoomRow& r : run.rows) {
    if (r.Day() == "2024-02-07") continue;
    ASSERT_EQ(r.occupied, 0) << r.timestamp;
  }
  int wednesday = 0;
  for (const RoomRow& r : run.rows) wednesday += r.Day() == "2024-02-07" && r.occupied;
  EXPECT_GT(wednesday, 200);
}

}  // namespace
}  // namespace emlkit
