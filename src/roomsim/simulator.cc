#include "roomsim/simulator.h"

#include <algorithm>
#include <cmath>

#include "roomsim/calendar.h"
#include "roomsim/random.h"

namespace emlkit::roomsim {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kDiffuseEfficacy = 120;  // lm/W of sky light
constexpr double kBeamEfficacy = 95;      // lm/W of direct sun
constexpr double kGroundAlbedo = 0.2;
constexpr double kAiringAch = 8;  // window wide open

std::vector<DayKind> PeopleKinds(const std::vector<DaySetup>& setup) {
  std::vector<DayKind> kinds;
  for (const DaySetup& d : setup) kinds.push_back(d.people);
  return kinds;
}

std::vector<FaultRates> DayFaults(const std::vector<DaySetup>& setup) {
  std::vector<FaultRates> f;
  for (const DaySetup& d : setup) f.push_back(d.faults);
  return f;
}

// Two airings on a day with the open-window scenario, at the room type's usual times.
void PlanAirings(RoomType type, int64_t day, uint64_t seed, std::vector<int64_t>* starts) {
  Rng rng(StreamSeed(seed, Stream::kWindow, static_cast<uint64_t>(day)));
  double a = 10.0, b = 14.5;
  if (type == RoomType::kLiving) a = 18.5, b = 21.0;
  if (type == RoomType::kBedroom) a = 7.0, b = 22.0;
  for (double h : {a, b}) {
    starts->push_back(day * kSecondsPerDay + std::llround((h + rng.Uniform(-0.5, 0.5)) * 3600));
  }
}

}  // namespace

int64_t DefaultStartDay() { return DaysFromCivil({2024, 2, 5}); }

Status ValidateSimConfig(const SimConfig& c) {
  if (c.days < 1 || c.days > 3660)
    return Status::InvalidArgument("--days " + std::to_string(c.days) +
                                   ": must be a whole number of days from 1 to 3660");
  if (c.period_s < 1 || c.period_s > 3600 || kSecondsPerDay % c.period_s != 0)
    return Status::InvalidArgument("--period " + std::to_string(c.period_s) +
                                   "s: must be 1 s to 1 h and divide a day evenly (e.g. 10s, "
                                   "30s, 60s, 5m, 15m)");
  for (const ScenarioUse& u : c.scenarios) {
    if (u.first_day < 0 || u.last_day < u.first_day || u.last_day >= c.days)
      return Status::InvalidArgument(std::string("scenario '") + ScenarioName(u.id) +
                                     "': its days lie outside the run of " +
                                     std::to_string(c.days) + " days");
  }
  for (int i = 0; i < kNumAnalog; ++i) {
    const SensorSpec& s = c.sensors.analog[i];
    if (!(s.resolution > 0) || !(s.min < s.max) || !(s.noise_sd >= 0) || !(s.lag_s >= 0))
      return Status::InvalidArgument(std::string("sensor '") + SensorName(i) +
                                     "': resolution must be > 0, min < max, noise and lag >= 0");
  }
  if (!(c.outdoor_co2_ppm >= 0 && c.outdoor_co2_ppm < 5000))
    return Status::InvalidArgument("outdoor CO2 must be between 0 and 5000 ppm");
  return ValidateRoomProfile(c.room);
}

Result<std::unique_ptr<RoomSimulator>> RoomSimulator::Create(const SimConfig& config) {
  EMLKIT_RETURN_IF_ERROR(ValidateSimConfig(config));
  EMLKIT_ASSIGN_OR_RETURN(std::vector<DaySetup> setup,
                          BuildDaySetups(config.scenarios, config.faults, config.days));
  return std::unique_ptr<RoomSimulator>(new RoomSimulator(config, std::move(setup)));
}

RoomSimulator::RoomSimulator(const SimConfig& config, std::vector<DaySetup> setup)
    : config_(config),
      setup_(std::move(setup)),
      total_steps_(static_cast<int64_t>(config.days) * kSecondsPerDay / config.period_s),
      weather_(config.room.site, config.room.climate, config.start_day, config.days, config.seed),
      occupants_(config.room.type,
                 PlanOccupancy(config.room, config.start_day, PeopleKinds(setup_), config.seed),
                 config.seed),
      pet_(config.seed),
      lighting_(config.room.lamp_on_below_lux, config.seed),
      physics_(config.room),
      sensors_(config.sensors, config.seed),
      faults_(DayFaults(setup_), sensors_, config.period_s, config.seed) {
  std::vector<int64_t> starts;
  for (int d = 0; d < config.days; ++d) {
    const DaySetup& s = setup_[static_cast<size_t>(d)];
    if (s.clear_sky) weather_.ForceClearSky(d);
    if (s.outdoor_shift_c != 0) weather_.ShiftTemperature(d, s.outdoor_shift_c);
    if (s.open_window) PlanAirings(config.room.type, d, config.seed, &starts);
  }
  Rng rng(StreamSeed(config.seed, Stream::kWindow, 1u << 20));
  for (int64_t s : starts) {
    airings_.push_back({s, s + static_cast<int64_t>(rng.Uniform(10, 20) * 60)});
  }
  double az = config.room.window_azimuth_deg * kPi / 180.0;
  sin_az_ = std::sin(az);
  cos_az_ = std::cos(az);

  Outdoor o = weather_.At(0);
  PhysicsInputs in;
  in.outdoor_c = o.temperature_c;
  in.outdoor_w = o.humidity_ratio;
  in.outdoor_co2_ppm = config.outdoor_co2_ppm;
  physics_.Reset(config.room.initial_c, in);
  TrueValues truth;
  truth.value[kTemperature] = physics_.air_c();
  truth.value[kHumidity] = physics_.relative_humidity_pct();
  truth.value[kLight] = 0;
  truth.value[kCo2] = physics_.co2_ppm();
  sensors_.Reset(truth);
}

const Sample& RoomSimulator::Step(double heater_w) {
  const RoomProfile& room = config_.room;
  int64_t dt = config_.period_s;
  int64_t t = step_ * dt;  // since the first midnight
  int64_t day = t / kSecondsPerDay;
  const DaySetup& setup = setup_[static_cast<size_t>(day)];
  heater_w = std::clamp(std::isfinite(heater_w) ? heater_w : 0.0, 0.0, room.heater_max_w);

  Sample& s = sample_;
  s.time_s = config_.start_day * kSecondsPerDay + t;
  s.weekday = WeekdayOfDays(config_.start_day + day);
  s.second_of_day = static_cast<int32_t>(t - day * kSecondsPerDay);

  Outdoor o = weather_.At(t);
  PeopleNow people = occupants_.Step(t, dt);
  PetNow pet = pet_.Step(setup.pet, dt);

  double incidence = VerticalIncidenceCos(o.sun, sin_az_, cos_az_);
  double beam_on_window = o.sky.direct_normal * incidence;
  double diffuse_lux = room.daylight_factor * o.sky.diffuse_horizontal * kDiffuseEfficacy;
  double beam_lux = room.beam_factor * beam_on_window * kBeamEfficacy;
  double daylight = lighting_.Step(people, diffuse_lux, beam_lux, beam_on_window, s.second_of_day,
                                   static_cast<double>(dt));
  bool lamp = lighting_.lamps_on();
  bool blinds = lighting_.blinds_down();

  while (next_airing_ < airings_.size() && airings_[next_airing_].end_s <= t) ++next_airing_;
  bool airing = next_airing_ < airings_.size() && airings_[next_airing_].start_s <= t;

  PhysicsInputs in;
  in.outdoor_c = o.temperature_c;
  in.outdoor_w = o.humidity_ratio;
  in.outdoor_co2_ppm = config_.outdoor_co2_ppm;
  in.wind_ms = o.wind_ms;
  in.extra_ach = airing ? kAiringAch : 0;
  in.heater_w = heater_w;
  in.internal_w = people.heat_w + pet.heat_w + room.appliance_base_w +
                  room.appliance_person_w * people.present + (lamp ? room.lamp_w : 0);
  in.solar_w = room.window_m2 * room.window_g * (blinds ? kBlindsHeat : 1.0) *
               (beam_on_window + 0.5 * o.sky.diffuse_horizontal +
                0.5 * kGroundAlbedo * o.sky.global_horizontal);
  in.co2_m3_s = people.co2_m3_s + pet.co2_m3_s;
  in.moisture_kg_s = people.moisture_kg_s + pet.moisture_kg_s;
  physics_.Step(in, static_cast<double>(dt));

  TrueValues truth;
  truth.value[kTemperature] = physics_.air_c();
  truth.value[kHumidity] = physics_.relative_humidity_pct();
  truth.value[kLight] = daylight + (lamp ? room.lamp_lux : 0);
  truth.value[kCo2] = physics_.co2_ppm();
  truth.pir_rate = people.pir_rate + pet.pir_rate;
  s.readings = sensors_.Read(truth, static_cast<double>(dt));
  s.faults = faults_.Apply(t, &s.readings, &s.row_missing);

  s.occupants = people.present;
  s.occupied = people.present > 0;
  s.pet_in_room = pet.in_room;
  s.lamp_on = lamp;
  s.window_open = airing;
  s.heater_w = heater_w;
  s.air_c = physics_.air_c();
  s.mass_c = physics_.mass_c();
  s.rh_pct = truth.value[kHumidity];
  s.co2_ppm = truth.value[kCo2];
  s.light_lux = truth.value[kLight];
  s.outdoor_c = o.temperature_c;
  ++step_;
  return s;
}

}  // namespace emlkit::roomsim
