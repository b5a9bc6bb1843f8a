// Tests only (host): checks the memory planner's promise on a prepared interpreter. Every
// activation's bytes must stay as its writer left them until the last operator that reads it
// (model inputs from the start, model outputs to the end), whatever else shares the arena.
//
//   PlanCheck check(&interp);         // after a successful Init and after setting the inputs
//   EXPECT_EQ(check.InvokeAndCheck(), "");
#ifndef EMLKIT_RUNTIME_TESTING_PLAN_CHECK_H_
#define EMLKIT_RUNTIME_TESTING_PLAN_CHECK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "emlkit/runtime.h"

namespace emlkit::rt::test {

class PlanCheck {
 public:
  explicit PlanCheck(Interpreter* interp);

  // Invokes once with an op hook that snapshots each operator's outputs and, after every
  // operator, compares every still-needed tensor with its snapshot. Returns "" or the first
  // clobbered tensor ("tensor 5 (written by op 1, read until op 4) changed by op 3").
  std::string InvokeAndCheck();
  // Tensors checked at least once after another operator ran (a check that checks nothing is
  // useless: tests assert this is positive).
  int checks() const { return checks_; }

 private:
  static void Hook(void* user, int32_t op, int32_t after);
  void Snapshot(int32_t t);

  Interpreter* interp_;
  std::vector<int32_t> first_, last_;  // writer (-1: model input) and last reader per tensor
  std::vector<std::vector<uint8_t>> saved_;
  std::vector<bool> has_saved_;
  std::string error_;
  int checks_ = 0;
};

}  // namespace emlkit::rt::test

#endif  // EMLKIT_RUNTIME_TESTING_PLAN_CHECK_H_
