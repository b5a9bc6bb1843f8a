// Lamps switched by the occupants (after Hunt's and Reinhart's observations of manual switching):
// on arrival people switch the lamps on when daylight at the sensor is below lamp_on_below_lux;
// while present and awake they notice darkness (15 % chance a minute) and rarely switch off for
// bright daylight (1 % a minute above three times the threshold); nobody awake (asleep) turns
// them off; the last person out switches off with 95 % chance, otherwise the lamps stay on until
// the next departure or 23:00.
// Blinds (after Reinhart and Voss 2003): people present lower them when direct sun on the window
// exceeds 50 W/m^2 (glare) and raise them only when they arrive and the sun is off the window.
// Lowered blinds pass 30 % of the diffuse daylight, 10 % of the beam and 70 % of the solar heat.
#ifndef EMLKIT_ROOMSIM_LIGHTING_H_
#define EMLKIT_ROOMSIM_LIGHTING_H_

#include <cstdint>

#include "common/rng.h"
#include "roomsim/occupants.h"

namespace emlkit::roomsim {

class Lighting {
 public:
  Lighting(double on_below_lux, uint64_t seed);
  // Updates the blinds and the lamps for the period that ends at `second_of_day`. `diffuse_lux`
  // and `beam_lux` are the daylight at the sensor with the blinds up, `beam_w_m2` the direct
  // sun on the window. Returns the daylight at the sensor after the blinds.
  double Step(const PeopleNow& people, double diffuse_lux, double beam_lux, double beam_w_m2,
              int32_t second_of_day, double dt_s);
  bool lamps_on() const { return on_; }
  bool blinds_down() const { return blinds_down_; }

 private:
  double on_below_lux_;
  Rng rng_;
  bool on_ = false;
  bool blinds_down_ = false;
};

// Shares passed by lowered blinds.
inline constexpr double kBlindsDiffuse = 0.3, kBlindsBeam = 0.1, kBlindsHeat = 0.7;

}  // namespace emlkit::roomsim

#endif  // EMLKIT_ROOMSIM_LIGHTING_H_
