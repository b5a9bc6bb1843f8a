// Name tables for the training enums (losses, optimizers, schedules, ...): one array of names
// indexed by the enum's value gives both directions.
//
//   constexpr const char* kLossNames[] = {"cross_entropy", "mse", "huber"};
//   const char* LossName(LossKind k) { return kLossNames[static_cast<int>(k)]; }
//   bool ParseLossName(const std::string& s, LossKind* k) { return ParseName(s, kLossNames, k); }
#ifndef EMLKIT_TRAIN_NAMES_H_
#define EMLKIT_TRAIN_NAMES_H_

#include <cstddef>
#include <string>

namespace emlkit::train {

// Finds `name` in `names` and stores its index as an E; false if absent (out untouched).
template <typename E, size_t N>
bool ParseName(const std::string& name, const char* const (&names)[N], E* out) {
  for (size_t i = 0; i < N; ++i) {
    if (name == names[i]) {
      *out = static_cast<E>(i);
      return true;
    }
  }
  return false;
}

}  // namespace emlkit::train

#endif  // EMLKIT_TRAIN_NAMES_H_
