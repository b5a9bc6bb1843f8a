#include "roomsim/controller_tune.h"

#include <gtest/gtest.h>

#include "roomsim/model_occupancy.h"

namespace emlkit::roomsim {
namespace {

EvalOptions OneDay(RoomType room) {
  EvalOptions o = DefaultEvalOptions();
  o.sim.room = RoomProfileFor(room);
  o.sim.days = 1;
  o.scenarios = {ScenarioId::kNormal};
  return o;
}

TEST(ClosedLoopCost, IsDiscomfortMinutesPlusLambdaTimesKwh) {
  ControllerScore s;
  s.period_s = 60;
  s.too_cold = 30;
  s.too_warm = 10;
  s.energy_j = 2 * 3.6e6;
  EXPECT_DOUBLE_EQ(s.cost(10), 40 + 20);
  EXPECT_DOUBLE_EQ(s.cost(0), 40);
  EXPECT_EQ(kDefaultCostLambda, 10.0);
}

// The grid is searched in full and the point with the lowest summed cost wins; the figures are
// those of RunScenario on the same seeds.
TEST(ControllerTune, PicksTheLowestCostOnTheValidationSeeds) {
  TuneOptions t;
  t.base = OneDay(RoomType::kOffice);
  t.seeds = {5};
  t.thresholds = {0.5f};
  t.occupy_delays_s = {60};
  t.vacate_delays_s = {60, 7200};
  OracleOccupancy oracle;
  auto r = TuneModelController(t, &oracle);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->points.size(), 2u);
  EXPECT_EQ(TuneRuns(t), 3);
  const TunePoint& quick = r->points[0];
  const TunePoint& slow = r->points[1];
  EXPECT_LT(quick.energy_kwh, slow.energy_kwh);  // holding comfort 2 h after leaving costs heat
  EXPECT_EQ(r->best.vacate_delay_s, quick.cost <= slow.cost ? 60u : 7200u);
  EXPECT_DOUBLE_EQ(r->best.cost, std::min(quick.cost, slow.cost));
  EvalOptions o = t.base;
  o.sim.seed = 5;
  o.occupy_delay_s = 60;
  o.vacate_delay_s = 7200;
  auto direct = RunScenario(o, ScenarioId::kNormal, Controller::kModel, &oracle);
  ASSERT_TRUE(direct.ok());
  EXPECT_DOUBLE_EQ(direct->cost(t.base.cost_lambda), slow.cost);
  EXPECT_GT(r->motion_timeout_cost, 0);
}

TEST(ControllerTune, RefusesAnEmptyGrid) {
  TuneOptions t;
  t.base = OneDay(RoomType::kOffice);
  t.thresholds.clear();
  OracleOccupancy oracle;
  EXPECT_FALSE(TuneModelController(t, &oracle).ok());
  EXPECT_FALSE(TuneModelController(TuneOptions(), nullptr).ok());
}

// Same options, same figures (every random choice comes from the seed).
TEST(ControllerTune, IsDeterministic) {
  EvalOptions o = OneDay(RoomType::kBedroom);
  OracleOccupancy oracle;
  auto a = RunThermostatEval(o, &oracle);
  auto b = RunThermostatEval(o, &oracle);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(EvalReportJson(*a, "@oracle").dump(), EvalReportJson(*b, "@oracle").dump());
  EXPECT_EQ(EvalReportJson(*a, "@oracle")["model"]["cost"], a->total[0].cost(kDefaultCostLambda));
}

// What limits the thermostat in every room, on a short horizon (3 days of the normal routine
// and of a still occupant): even perfect detection (the ground truth, no smoothing) leaves
// people colder than the motion timeout, which keeps comfort 30 min after the last motion and so
// bridges short absences; knowing arrivals 30 min ahead removes the discomfort and costs less
// than the timeout. The figures of the benchmark (bench/roomsim/thermostat) tell the same.
TEST(ThermostatLimits, DetectionAloneLosesComfortToTheMotionTimeoutForesightWins) {
  for (RoomType room : {RoomType::kOffice, RoomType::kLiving, RoomType::kBedroom}) {
    SCOPED_TRACE(RoomTypeName(room));
    EvalOptions o = OneDay(room);
    o.sim.days = 3;
    o.scenarios = {ScenarioId::kNormal, ScenarioId::kStillOccupant};
    o.occupy_delay_s = 60;
    o.vacate_delay_s = 60;
    OracleOccupancy now, ahead(30 * 60);
    auto detect = RunThermostatEval(o, &now);
    auto foresee = RunThermostatEval(o, &ahead);
    ASSERT_TRUE(detect.ok() && foresee.ok());
    const ControllerScore& timeout = detect->total[static_cast<int>(Controller::kMotionTimeout)];
    EXPECT_EQ(detect->total[0].decision.accuracy(), 1.0);
    EXPECT_GT(detect->total[0].comfort_violation_min(), timeout.comfort_violation_min());
    EXPECT_LT(foresee->total[0].comfort_violation_min(), timeout.comfort_violation_min() / 4);
    EXPECT_LT(foresee->total[0].cost(kDefaultCostLambda), timeout.cost(kDefaultCostLambda));
  }
}

}  // namespace
}  // namespace emlkit::roomsim
