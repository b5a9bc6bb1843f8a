// A model trained only on simulated office data (emlkit roomsim -> data prepare -> train, all
// defaults) must tell occupied from empty in the REAL office (../shared/data/occupancy) better
// than chance (the majority class). The simulator was never tuned on this score; the test prints
// the accuracies for the closing note.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "common/fs.h"
#include "roomsim/model_occupancy.h"
#include "roomsim/realism.h"
#include "support/test_util.h"

namespace emlkit {
namespace {

using testing::RunEmlkit;

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
    auto read = roomsim::ReadRealismRows({file}, roomsim::UciOccupancyColumns());
    ASSERT_TRUE(read.ok()) << read.status().ToString();
    const std::vector<roomsim::RealismRow>& rows = *read;
    ASSERT_GT(rows.size(), 2000u);
    ASSERT_TRUE((*model)->Reset().ok());
    int64_t correct = 0, occupied = 0;
    for (const roomsim::RealismRow& r : rows) {
      auto p = (*model)->PredictNamed(static_cast<double>(r.time_s), r.temperature_c,
                                      r.humidity_pct, r.light_lux, r.co2_ppm, NAN);
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
