#include "roomsim/occupants.h"

#include "roomsim/random.h"

namespace emlkit::roomsim {
namespace {

// Per activity: PIR events/min, sensible heat W, CO2 L/s, moisture g/h.
struct Emission {
  double pir, heat_w, co2_l_s, moisture_g_h;
};
constexpr Emission kEmission[5] = {
    {0, 0, 0, 0},            // away
    {6.0, 110, 0.0085, 90},  // active
    {1.2, 75, 0.0052, 50},   // seated
    {0.05, 70, 0.0046, 45},  // still
    {0.03, 55, 0.0035, 35},  // asleep
};
constexpr double kLeavingPir = 3.0;  // walking out during part of the period

// Transition rates per minute for awake people: active->seated, seated->active, seated->still,
// still->seated.
struct Rates {
  double a_s, s_a, s_st, st_s;
};
Rates RatesFor(RoomType type, VisitMode mode) {
  if (mode == VisitMode::kStill) return {0.5, 0.005, 0.5, 0.01};
  switch (type) {
    case RoomType::kOffice:
      return {0.5, 0.04, 0.03, 0.10};
    case RoomType::kLiving:
      return {0.4, 0.05, 0.06, 0.06};
    case RoomType::kBedroom:
      return {0.3, 0.10, 0.05, 0.10};
  }
  return {0.5, 0.04, 0.03, 0.10};
}

}  // namespace

Occupants::Occupants(RoomType type, OccupancyPlan plan, uint64_t seed)
    : type_(type),
      plan_(std::move(plan)),
      next_(plan_.people.size(), 0),
      state_(plan_.people.size(), Activity::kAway),
      rng_(StreamSeed(seed, Stream::kActivity)) {}

PeopleNow Occupants::Step(int64_t t, int64_t dt_s) {
  PeopleNow now;
  double dt = static_cast<double>(dt_s);
  for (size_t p = 0; p < plan_.people.size(); ++p) {
    const std::vector<Visit>& it = plan_.people[p];
    size_t& k = next_[p];
    while (k < it.size() && it[k].end_s <= t) ++k;
    // Draw the same number of random numbers whatever happens, so one person's plan never
    // shifts another's activity.
    double u1 = rng_.Uniform(), u2 = rng_.Uniform();
    bool present = k < it.size() && it[k].start_s <= t;
    bool was = state_[p] != Activity::kAway;
    if (k > 0 && it[k - 1].end_s > t - dt_s) {  // a visit ended during this period
      ++now.left;
      now.pir_rate += kLeavingPir;
    }
    if (!present) {
      state_[p] = Activity::kAway;
      continue;
    }
    const Visit& v = it[k];
    Activity a = state_[p];
    bool arrived = !was || v.start_s > t - dt_s;
    if (arrived) ++now.arrived;
    if (arrived || v.mode == VisitMode::kBrief) {
      a = Activity::kActive;
    } else if (t + dt_s >= v.end_s) {
      a = Activity::kActive;  // getting up to leave
    } else if (v.mode == VisitMode::kSleep && t >= v.sleep_s) {
      // Asleep; one restless minute in about 200.
      a = u1 < ChanceWithin(0.005, dt) ? Activity::kActive : Activity::kAsleep;
    } else {
      Rates r = RatesFor(type_, v.mode);
      if (a == Activity::kAsleep) a = Activity::kSeated;
      switch (a) {
        case Activity::kActive:
          if (u1 < ChanceWithin(r.a_s, dt)) a = Activity::kSeated;
          break;
        case Activity::kSeated:
          if (u1 < ChanceWithin(r.s_a, dt)) {
            a = Activity::kActive;
          } else if (u2 < ChanceWithin(r.s_st, dt)) {
            a = Activity::kStill;
          }
          break;
        case Activity::kStill:
          if (u1 < ChanceWithin(r.st_s, dt)) a = Activity::kSeated;
          break;
        default:
          a = Activity::kSeated;
      }
    }
    state_[p] = a;
    const Emission& e = kEmission[static_cast<int>(a)];
    ++now.present;
    now.anyone_awake = now.anyone_awake || a != Activity::kAsleep;
    now.pir_rate += e.pir;
    now.heat_w += e.heat_w;
    now.co2_m3_s += e.co2_l_s / 1000.0;
    now.moisture_kg_s += e.moisture_g_h / 3.6e6;
  }
  return now;
}

Pet::Pet(uint64_t seed) : rng_(StreamSeed(seed, Stream::kPet)) {}

PetNow Pet::Step(bool home, int64_t dt_s) {
  double dt = static_cast<double>(dt_s);
  double u1 = rng_.Uniform(), u2 = rng_.Uniform();
  if (!home) {
    in_room_ = moving_ = false;
    return {};
  }
  // In the room for ~40 min at a time, elsewhere for ~60 min; moves in bursts of ~3 min
  // every ~20 min.
  if (in_room_) {
    if (u1 < ChanceWithin(1.0 / 40, dt)) in_room_ = false;
  } else if (u1 < ChanceWithin(1.0 / 60, dt)) {
    in_room_ = true;
    moving_ = true;
  }
  if (moving_) {
    if (u2 < ChanceWithin(0.3, dt)) moving_ = false;
  } else if (u2 < ChanceWithin(0.05, dt)) {
    moving_ = true;
  }
  PetNow now;
  if (!in_room_) return now;
  now.in_room = true;
  now.pir_rate = moving_ ? 4.0 : 0.02;
  now.heat_w = 20;
  now.co2_m3_s = 0.0012 / 1000.0;
  now.moisture_kg_s = 8 / 3.6e6;
  return now;
}

}  // namespace emlkit::roomsim
