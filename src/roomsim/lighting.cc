#include "roomsim/lighting.h"

#include "roomsim/random.h"

namespace emlkit::roomsim {

Lighting::Lighting(double on_below_lux, uint64_t seed)
    : on_below_lux_(on_below_lux), rng_(StreamSeed(seed, Stream::kLighting)) {}

double Lighting::Step(const PeopleNow& people, double diffuse_lux, double beam_lux,
                      double beam_w_m2, int32_t second_of_day, double dt_s) {
  double u1 = rng_.Uniform(), u2 = rng_.Uniform();  // fixed draws per period
  constexpr double kGlareW = 50;
  if (people.present > 0) {
    if (beam_w_m2 > kGlareW) {
      blinds_down_ = true;
    } else if (people.arrived > 0 && people.present == people.arrived) {
      blinds_down_ = false;  // the first one in opens them
    }
  }
  double daylight_lux =
      blinds_down_ ? kBlindsDiffuse * diffuse_lux + kBlindsBeam * beam_lux : diffuse_lux + beam_lux;
  bool dark = daylight_lux < on_below_lux_;
  if (people.present == 0) {
    if (on_ && people.left > 0 && u1 < 0.95) on_ = false;
    if (second_of_day >= 23 * 3600) on_ = false;
    return daylight_lux;
  }
  if (!people.anyone_awake) {
    on_ = false;
  } else if (!on_) {
    if (dark && (people.arrived > 0 || u2 < ChanceWithin(0.15, dt_s))) on_ = true;
  } else if (daylight_lux > 3 * on_below_lux_ && u2 < ChanceWithin(0.01, dt_s)) {
    on_ = false;
  }
  return daylight_lux;
}

}  // namespace emlkit::roomsim
