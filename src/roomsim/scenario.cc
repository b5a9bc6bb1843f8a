#include "roomsim/scenario.h"

#include <cstdlib>

namespace emlkit::roomsim {
namespace {

std::string NameList() {
  std::string s;
  for (const ScenarioInfo& i : AllScenarios()) s += (s.empty() ? "" : ", ") + std::string(i.name);
  return s;
}

bool ParseDay(const std::string& s, int* out) {
  if (s.empty() || s.size() > 6) return false;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

}  // namespace

const std::vector<ScenarioInfo>& AllScenarios() {
  static const std::vector<ScenarioInfo> kAll = {
      {ScenarioId::kNormal, "normal", "the room type's routine"},
      {ScenarioId::kSunnyEmpty, "sunny-empty", "nobody comes, clear sky: the sun heats the room"},
      {ScenarioId::kBriefEntry, "brief-entry", "only brief visits of 1 to 4.5 minutes"},
      {ScenarioId::kStillOccupant, "still-occupant",
       "one person sits very still for hours (PIR mostly silent)"},
      {ScenarioId::kPet, "pet", "a pet wanders in and out (PIR fires with nobody there)"},
      {ScenarioId::kSensorSpikes, "sensor-spikes", "frequent one-sample spikes on every sensor"},
      {ScenarioId::kStuckSensor, "stuck-sensor", "temperature and CO2 freeze for 3 to 6 hours"},
      {ScenarioId::kDropout, "dropout", "empty fields and missing rows"},
      {ScenarioId::kDrift, "drift", "temperature and CO2 readings drift slowly"},
      {ScenarioId::kColdSnap, "cold-snap", "outdoor air 12 K colder than usual, clear sky"},
      {ScenarioId::kOpenWindow, "open-window", "the window is opened twice a day for airing"},
      {ScenarioId::kHoliday, "holiday", "nobody comes (a workday off)"},
  };
  return kAll;
}

const char* ScenarioName(ScenarioId id) {
  for (const ScenarioInfo& i : AllScenarios())
    if (i.id == id) return i.name;
  return "unknown";
}

Result<ScenarioId> ParseScenarioName(const std::string& name) {
  for (const ScenarioInfo& i : AllScenarios())
    if (name == i.name) return i.id;
  return Status::InvalidArgument("unknown scenario '" + name + "' (choose one of: " + NameList() +
                                 ")");
}

Result<ScenarioUse> ParseScenarioUse(const std::string& text, int days) {
  size_t colon = text.find(':');
  ScenarioUse use;
  EMLKIT_ASSIGN_OR_RETURN(use.id, ParseScenarioName(text.substr(0, colon)));
  use.first_day = 0;
  use.last_day = days - 1;
  if (colon == std::string::npos) return use;
  std::string range = text.substr(colon + 1);
  size_t dash = range.find('-');
  int a = 0, b = 0;
  bool ok = dash == std::string::npos
                ? ParseDay(range, &a) && ParseDay(range, &b)
                : ParseDay(range.substr(0, dash), &a) && ParseDay(range.substr(dash + 1), &b);
  if (!ok)
    return Status::InvalidArgument("--scenario '" + text +
                                   "': the days after ':' must be D or D1-D2 (1-based), e.g. "
                                   "pet:3 or sunny-empty:2-4");
  if (a < 1 || b < a || b > days)
    return Status::InvalidArgument("--scenario '" + text + "': days " + std::to_string(a) + "-" +
                                   std::to_string(b) + " are not within the run's days 1-" +
                                   std::to_string(days));
  use.first_day = a - 1;
  use.last_day = b - 1;
  return use;
}

Result<std::vector<DaySetup>> BuildDaySetups(const std::vector<ScenarioUse>& uses,
                                             const FaultRates& global_faults, int days) {
  std::vector<DaySetup> setup(static_cast<size_t>(days));
  std::vector<const char*> who_decides(static_cast<size_t>(days), nullptr);
  for (DaySetup& d : setup) d.faults = global_faults;
  for (const ScenarioUse& u : uses) {
    for (int day = u.first_day; day <= u.last_day; ++day) {
      DaySetup& d = setup[static_cast<size_t>(day)];
      DayKind people = DayKind::kRegular;
      FaultRates f;
      switch (u.id) {
        case ScenarioId::kNormal:
          break;
        case ScenarioId::kSunnyEmpty:
          people = DayKind::kEmpty;
          d.clear_sky = true;
          break;
        case ScenarioId::kBriefEntry:
          people = DayKind::kBriefEntries;
          break;
        case ScenarioId::kStillOccupant:
          people = DayKind::kStillOccupant;
          break;
        case ScenarioId::kHoliday:
          people = DayKind::kEmpty;
          break;
        case ScenarioId::kPet:
          d.pet = true;
          break;
        case ScenarioId::kSensorSpikes:
          for (int s = 0; s < kNumAnalog; ++s) f.per_day[0][s] = 24;
          f.per_day[0][kMotion] = 4;
          break;
        case ScenarioId::kStuckSensor:
          f.forced_stuck = (1u << kTemperature) | (1u << kCo2);
          break;
        case ScenarioId::kDropout:
          for (int t = 0; t < kNumFaultTargets; ++t) f.per_day[2][t] = t == kRows ? 3 : 6;
          break;
        case ScenarioId::kDrift:
          f.per_day[3][kTemperature] = f.per_day[3][kCo2] = 1;
          break;
        case ScenarioId::kColdSnap:
          d.outdoor_shift_c = -12;  // not cumulative when days overlap
          d.clear_sky = true;
          break;
        case ScenarioId::kOpenWindow:
          d.open_window = true;
          break;
      }
      d.faults.Merge(f);
      if (people == DayKind::kRegular) continue;
      const char*& prev = who_decides[static_cast<size_t>(day)];
      if (prev && prev != ScenarioName(u.id))
        return Status::InvalidArgument(
            "scenarios '" + std::string(prev) + "' and '" + ScenarioName(u.id) +
            "' both decide who is in the room on day " + std::to_string(day + 1) +
            "; give them different days (e.g. " + ScenarioName(u.id) + ":" +
            std::to_string(day + 2) + ")");
      prev = ScenarioName(u.id);
      d.people = people;
    }
  }
  return setup;
}

}  // namespace emlkit::roomsim
