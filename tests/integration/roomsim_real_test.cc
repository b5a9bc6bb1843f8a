// A model trained only on simulated office data (emlkit roomsim -> data prepare -> train, all
// defaults) must tell occupied from empty in the REAL office (../shared/data/occupancy) better
// than chance (the majority class). The simulator was never tuned on this score; the test prints
// the accuracies for the closing note.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "common/fs.h"
#include "roomsim/calendar.h"
#include "roomsim/model_occupancy.h"
#include "support/test_util.h"

namespace emlkit {
namespace {

using testing::RunEmlkit;

struct RealRow {
  double t, temperature, humidity, light, co2;
  bool occupied;
};

// "id","YYYY-MM-DD hh:mm:ss",Temperature,Humidity,Light,CO2,HumidityRatio,Occupancy
std::vector<RealRow> ReadReal(const std::string& path) {
  std::vector<RealRow> rows;
  std::istringstream in(testing::ReadText(path));
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::string cell;
    std::istringstream ls(line);
    while (std::getline(ls, cell, ',')) {
      if (cell.size() >= 2 && cell.front() == '"') cell = cell.substr(1, cell.size() - 2);
      f.push_back(cell);
    }
    if (f.size() != 8) continue;
    auto day = roomsim::ParseDate(f[1].substr(0, 10), "date");
    if (!day.ok()) continue;
    double sod = std::atoi(f[1].substr(11, 2).c_str()) * 3600 +
                 std::atoi(f[1].substr(14, 2).c_str()) * 60 + std::atoi(f[1].substr(17, 2).c_str());
    rows.push_back({static_cast<double>(*day * roomsim::kSecondsPerDay) + sod,
                    std::atof(f[2].c_str()), std::atof(f[3].c_str()), std::atof(f[4].c_str()),
                    std::atof(f[5].c_str()), f[7] == "1"});
  }
  return rows;
}

TEST(RoomsimReal, SimTrainedModelBeatsChanceOnTheRealOffice) {
  EMLKIT_REQUIRE_SHARED(train_file, "data/occupancy/datatraining.txt");
  EMLKIT_REQUIRE_SHARED(test_file, "data/occupancy/datatest.txt");
  ScratchDir dir("roomsim-real");
  auto sim = RunEmlkit({"roomsim", "--days", "28", "--out", dir.Path("office.csv")});
  ASSERT_EQ(sim.exit_code, 0) << sim.err;
  // The four sensors the real office has (it has no PIR).
  auto prep = RunEmlkit({"data", "prepare", "--input", dir.Path("office.csv"), "--features",
                         "temperature_c,humidity_pct,light_lux,co2_ppm", "--label", "occupied",
                         "--out", dir.Path("ds")});
  ASSERT_EQ(prep.exit_code, 0) << prep.err;
  auto train =
      RunEmlkit({"train", "--data", dir.Path("ds"), "--out", dir.Path("sim.tflite"), "--quiet"});
  ASSERT_EQ(train.exit_code, 0) << train.err;
  auto model = roomsim::TfliteOccupancyModel::Open(dir.Path("sim.tflite"));
  ASSERT_TRUE(model.ok()) << model.status().ToString();

  for (const std::string& file : {train_file, test_file}) {
    std::vector<RealRow> rows = ReadReal(file);
    ASSERT_GT(rows.size(), 2000u);
    ASSERT_TRUE((*model)->Reset().ok());
    int64_t correct = 0, occupied = 0;
    for (const RealRow& r : rows) {
      auto p = (*model)->PredictNamed(r.t, r.temperature, r.humidity, r.light, r.co2, NAN);
      ASSERT_TRUE(p.ok()) << p.status().ToString();
      ASSERT_FALSE(std::isnan(*p));  // one record per row: no window to fill
      correct += (*p >= 0.5f) == r.occupied;
      occupied += r.occupied;
    }
    double n = static_cast<double>(rows.size());
    double accuracy = correct / n;
    double chance = std::max(occupied, static_cast<int64_t>(rows.size()) - occupied) / n;
    std::printf("%s: sim-trained model accuracy %.4f on %zu real rows (majority class %.4f)\n",
                file.substr(file.rfind('/') + 1).c_str(), accuracy, rows.size(), chance);
    EXPECT_GT(accuracy, chance) << file;
  }
}

}  // namespace
}  // namespace emlkit
