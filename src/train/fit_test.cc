// Task-level training on small data sets: the quality bar on occupancy, regression and anomaly.
#include "train/fit.h"

#include <gtest/gtest.h>

#include "common/fs.h"
#include "support/test_util.h"
#include "train/testing/fixtures.h"

namespace emlkit::train {
namespace {

TEST(Fit, OccupancyQualityBarWithDefaults) {
  EMLKIT_REQUIRE_SHARED(occ, "data/occupancy");
  ScratchDir dir;
  ASSERT_TRUE(testing::OccupancyDataset(occ, dir.path(), 1).ok());
  auto ds = data::LoadDataset(dir.path());
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  TrainOptions o;
  auto m = Fit(*ds, o);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  double acc = m->metrics["test"]["accuracy"].get<double>();
  std::printf("seed 0: test accuracy %.4f best epoch %d of %zu\n", acc, m->loop.best_epoch,
              m->loop.history.size());
  EXPECT_GE(acc, 0.975);
}

}  // namespace
}  // namespace emlkit::train
