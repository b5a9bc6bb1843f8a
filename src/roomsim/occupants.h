// People in the room: when each person is there (an itinerary planned day by day from habits of
// the room type) and what they are doing period by period (a Markov chain over activities).
//
// Planning (PlanOccupancy): each person gets habits once (e.g. usual arrival time) and then, day
// by day from a stream of their own, a list of visits [start, end) in seconds since the first
// day's midnight. Visits never overlap and may run past midnight (a night in the bedroom). The
// room types' routines are described in docs/roomsim.md; DayKind replaces a day's routine for
// the scenarios (an empty day, brief entries only, one person sitting still for hours).
//
// Activity (Occupants::Step): present people are active (walking: entering, leaving), seated
// (small movements), still (reading, watching, thinking) or asleep. The activity sets what the
// sensors see: PIR events per minute 6 / 1.2 / 0.05 / 0.03, sensible heat 110 / 75 / 70 / 55 W,
// CO2 0.0085 / 0.0052 / 0.0046 / 0.0035 L/s and moisture 90 / 50 / 45 / 35 g/h at about 21 degC
// (ASHRAE Fundamentals metabolic rates; Persily and de Jonge 2017 for CO2).
#ifndef EMLKIT_ROOMSIM_OCCUPANTS_H_
#define EMLKIT_ROOMSIM_OCCUPANTS_H_

#include <cstdint>
#include <vector>

#include "common/rng.h"
#include "roomsim/room_profile.h"

namespace emlkit::roomsim {

enum class DayKind : uint8_t {
  kRegular,        // the room type's routine
  kEmpty,          // nobody comes (previous night's stay ends at midnight)
  kBriefEntries,   // only 4..8 visits of 1 to 4.5 minutes between 07:00 and 21:00
  kStillOccupant,  // one person sits very still for two long sessions; nobody else comes
};

enum class VisitMode : uint8_t { kNormal, kStill, kSleep, kBrief };

struct Visit {
  int64_t start_s = 0, end_s = 0;  // [start, end), seconds since the first day's midnight
  VisitMode mode = VisitMode::kNormal;
  int64_t sleep_s = 0;  // kSleep: falls asleep at this time (reads in bed before)
};

struct OccupancyPlan {
  std::vector<std::vector<Visit>> people;  // one sorted itinerary per person
};

// Plans the whole run. `first_day` is in days since 1970-01-01; kinds.size() is the day count.
OccupancyPlan PlanOccupancy(const RoomProfile& room, int64_t first_day,
                            const std::vector<DayKind>& kinds, uint64_t seed);

enum class Activity : uint8_t { kAway, kActive, kSeated, kStill, kAsleep };

// What the people in the room amount to during one period.
struct PeopleNow {
  int present = 0;  // people in the room at the end of the period
  int arrived = 0;  // people who came in during the period
  int left = 0;     // people who went out during the period
  bool anyone_awake = false;
  double pir_rate = 0;       // expected PIR events per minute
  double heat_w = 0;         // sensible heat
  double co2_m3_s = 0;       // exhaled CO2
  double moisture_kg_s = 0;  // exhaled and evaporated water
};

class Occupants {
 public:
  Occupants(RoomType type, OccupancyPlan plan, uint64_t seed);
  // Advances to the end of the period (t - dt_s, t]; `t` must grow from call to call.
  PeopleNow Step(int64_t t, int64_t dt_s);
  Activity activity(size_t person) const { return state_[person]; }
  size_t people() const { return plan_.people.size(); }

 private:
  RoomType type_;
  OccupancyPlan plan_;
  std::vector<size_t> next_;  // per person: first visit not yet finished
  std::vector<Activity> state_;
  Rng rng_;
};

// A pet (a medium dog or a cat) at home: wanders in and out of the room and moves in bursts.
// Triggers the PIR while moving (4 events/min) but is not an occupant. 20 W, 0.0012 L/s CO2,
// 8 g/h moisture while in the room.
struct PetNow {
  bool in_room = false;
  double pir_rate = 0, heat_w = 0, co2_m3_s = 0, moisture_kg_s = 0;
};

class Pet {
 public:
  explicit Pet(uint64_t seed);
  // `home` false keeps the pet out of the room (days without the pet scenario).
  PetNow Step(bool home, int64_t dt_s);

 private:
  Rng rng_;
  bool in_room_ = false;
  bool moving_ = false;
};

}  // namespace emlkit::roomsim

#endif  // EMLKIT_ROOMSIM_OCCUPANTS_H_
