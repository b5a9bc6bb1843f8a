// Named scenarios: the edge cases a thermostat must survive, usable alone or mixed into a
// longer run on chosen days.
//
//   normal          the room type's routine (nothing changed)
//   sunny-empty     nobody comes and the sky is clear: the sun heats an empty room
//   brief-entry     only brief visits (1 to 4.5 min) between 07:00 and 21:00
//   still-occupant  one person sits very still for two long sessions (PIR mostly silent)
//   pet             a pet at home all day, wandering in and out (PIR fires with nobody there)
//   sensor-spikes   frequent one-sample spikes on every sensor
//   stuck-sensor    temperature and CO2 freeze for 3..6 h each day, starting 08:00..12:00
//   dropout         empty fields on every sensor and whole rows missing
//   drift           temperature and CO2 readings drift away slowly
//   cold-snap       outdoor air 12 K colder than usual, clear sky
//   open-window     the window is opened twice a day for 10..20 min (airing)
//   holiday         nobody comes (a workday off)
//
// On the command line a scenario is NAME (every day), NAME:D (day D, 1-based) or NAME:D1-D2.
// Scenarios deciding who is in the room (sunny-empty, brief-entry, still-occupant, holiday)
// cannot share a day; all others combine freely.
#ifndef EMLKIT_ROOMSIM_SCENARIO_H_
#define EMLKIT_ROOMSIM_SCENARIO_H_

#include <string>
#include <vector>

#include "common/status.h"
#include "roomsim/faults.h"
#include "roomsim/occupants.h"

namespace emlkit::roomsim {

enum class ScenarioId {
  kNormal,
  kSunnyEmpty,
  kBriefEntry,
  kStillOccupant,
  kPet,
  kSensorSpikes,
  kStuckSensor,
  kDropout,
  kDrift,
  kColdSnap,
  kOpenWindow,
  kHoliday,
};

struct ScenarioInfo {
  ScenarioId id;
  const char* name;
  const char* summary;
};
// Every scenario, in the order above.
const std::vector<ScenarioInfo>& AllScenarios();
const char* ScenarioName(ScenarioId id);
// Parses a name; the error lists the valid names.
Result<ScenarioId> ParseScenarioName(const std::string& name);

struct ScenarioUse {
  ScenarioId id = ScenarioId::kNormal;
  int first_day = 0;  // 0-based, inclusive
  int last_day = 0;   // 0-based, inclusive
};
// Parses NAME, NAME:D or NAME:D1-D2 for a run of `days` days.
Result<ScenarioUse> ParseScenarioUse(const std::string& text, int days);

// What one day of the run looks like once the scenarios are applied.
struct DaySetup {
  DayKind people = DayKind::kRegular;
  bool clear_sky = false;
  double outdoor_shift_c = 0;
  bool pet = false;
  bool open_window = false;
  FaultRates faults;
};

// One setup per day: `global_faults` on every day plus the scenarios on their days. Fails when
// two scenarios both decide who is in the room on the same day.
Result<std::vector<DaySetup>> BuildDaySetups(const std::vector<ScenarioUse>& uses,
                                             const FaultRates& global_faults, int days);

}  // namespace emlkit::roomsim

#endif  // EMLKIT_ROOMSIM_SCENARIO_H_
