// PlanOccupancy: the daily routines of each room type (see occupants.h and docs/roomsim.md).
#include <algorithm>
#include <cmath>

#include "roomsim/calendar.h"
#include "roomsim/occupants.h"
#include "roomsim/random.h"

namespace emlkit::roomsim {
namespace {

int64_t Sec(double hours) { return std::llround(hours * 3600.0); }

// One person's visits within one day, in seconds after that day's midnight (may pass 24:00).
class DayVisits {
 public:
  void Add(double start_h, double end_h, VisitMode mode, double sleep_h = 0) {
    if (end_h <= start_h) return;
    Visit v;
    v.start_s = Sec(start_h);
    v.end_s = Sec(end_h);
    v.mode = mode;
    v.sleep_s = Sec(std::max(sleep_h, start_h));
    visits_.push_back(v);
  }
  // Cuts [start_h, end_h) out of every visit (a break, lunch, a meeting elsewhere).
  void Remove(double start_h, double end_h) {
    int64_t a = Sec(start_h), b = Sec(end_h);
    std::vector<Visit> out;
    for (const Visit& v : visits_) {
      if (b <= v.start_s || a >= v.end_s) {
        out.push_back(v);
        continue;
      }
      if (a > v.start_s) {
        Visit left = v;
        left.end_s = a;
        out.push_back(left);
      }
      if (b < v.end_s) {
        Visit right = v;
        right.start_s = b;
        right.sleep_s = std::max(v.sleep_s, b);
        out.push_back(right);
      }
    }
    visits_ = std::move(out);
  }
  // Appends to `itinerary` shifted by `offset_s`, never overlapping what is already there.
  void AppendTo(std::vector<Visit>* itinerary, int64_t offset_s) {
    std::sort(visits_.begin(), visits_.end(),
              [](const Visit& a, const Visit& b) { return a.start_s < b.start_s; });
    for (Visit v : visits_) {
      v.start_s += offset_s;
      v.end_s += offset_s;
      v.sleep_s += offset_s;
      if (!itinerary->empty()) v.start_s = std::max(v.start_s, itinerary->back().end_s);
      if (v.end_s - v.start_s < 30) continue;  // shorter than half a minute: nobody noticed
      itinerary->push_back(v);
    }
    visits_.clear();
  }

 private:
  std::vector<Visit> visits_;
};

struct Habits {
  double arrive_h, leave_h;                        // office
  double wake_work_h, wake_free_h, bed_h, home_h;  // homes
  double lunch_out, absent_day, work_from_home;    // chances
};

Habits DrawHabits(Rng& rng, size_t person) {
  Habits h;
  h.arrive_h = rng.Uniform(7.5, 9.0);
  h.leave_h = rng.Uniform(16.75, 18.5);
  h.wake_work_h = rng.Uniform(6.25, 7.0);
  h.wake_free_h = rng.Uniform(8.0, 9.5);
  h.bed_h = rng.Uniform(22.25, 23.5);
  h.home_h = rng.Uniform(17.25, 18.75);
  h.lunch_out = rng.Uniform(0.5, 0.95);
  h.absent_day = 0.07;
  h.work_from_home = person == 1 ? 0.2 : 0.05;
  return h;
}

bool IsWorkday(int weekday) { return weekday < 5; }

void OfficeDay(const Habits& h, int weekday, Rng& rng, DayVisits& d) {
  if (!IsWorkday(weekday)) {
    if (rng.Bernoulli(0.04)) {
      double s = rng.Uniform(9, 15);
      d.Add(s, s + rng.Uniform(1, 4), VisitMode::kNormal);
    }
    return;
  }
  if (rng.Bernoulli(h.absent_day)) return;
  double arrive = std::clamp(rng.Normal(h.arrive_h, 0.25), 6.0, 10.5);
  double leave = std::clamp(rng.Normal(h.leave_h, 0.33), arrive + 3, 21.0);
  d.Add(arrive, leave, VisitMode::kNormal);
  if (rng.Bernoulli(h.lunch_out)) {
    double s = rng.Normal(12.25, 0.33);
    d.Remove(s, s + rng.Uniform(20, 60) / 60);
  }
  for (int i = Poisson(rng, 3.0); i > 0; --i) {
    double s = rng.Uniform(arrive, leave);
    d.Remove(s, s + rng.Uniform(2, 12) / 60);
  }
  for (int i = Poisson(rng, 0.6); i > 0; --i) {
    double s = rng.Uniform(arrive + 0.5, std::max(arrive + 0.6, leave - 1));
    d.Remove(s, s + rng.Uniform(0.5, 2.0));
  }
  if (rng.Bernoulli(0.05)) {  // back for something forgotten
    double s = leave + rng.Uniform(0.1, 0.5);
    d.Add(s, s + rng.Uniform(1, 4) / 60, VisitMode::kBrief);
  }
}

void CleanerDay(int weekday, Rng& rng, DayVisits& d) {
  if (IsWorkday(weekday) && rng.Bernoulli(0.6)) {
    double s = rng.Uniform(18.5, 20.5);
    d.Add(s, s + rng.Uniform(3, 10) / 60, VisitMode::kBrief);
  }
}

void LivingDay(const Habits& h, int weekday, Rng& rng, DayVisits& d) {
  double start, bed;
  int absences;
  if (IsWorkday(weekday)) {
    if (rng.Bernoulli(0.6)) {
      double s = h.wake_work_h + rng.Uniform(0.2, 0.5);
      d.Add(s, s + rng.Uniform(10, 40) / 60, VisitMode::kNormal);
    }
    if (rng.Bernoulli(h.work_from_home)) {
      d.Add(9 + rng.Uniform(-0.5, 0.5), 17 + rng.Uniform(-0.5, 0.5), VisitMode::kNormal);
      double s = rng.Normal(12.5, 0.25);
      d.Remove(s, s + rng.Uniform(30, 45) / 60);
    }
    if (rng.Bernoulli(0.08)) return;  // out for the evening
    start = rng.Normal(h.home_h, 0.5) + rng.Uniform(0, 0.5);
    bed = rng.Normal(h.bed_h + (weekday == 4 ? 0.75 : 0), 0.4);
    d.Add(start, bed, VisitMode::kNormal);
    if (rng.Bernoulli(0.5)) {  // dinner in the kitchen
      double s = 19 + rng.Uniform(-0.5, 0.5);
      d.Remove(s, s + rng.Uniform(20, 45) / 60);
    }
    absences = Poisson(rng, 4.0);
  } else {
    double wake = rng.Normal(h.wake_free_h, 0.75);
    start = wake + rng.Uniform(0.25, 1.0);
    bed = rng.Normal(h.bed_h + (weekday == 5 ? 0.75 : 0.25), 0.5);
    d.Add(start, bed, VisitMode::kNormal);
    for (int i = Poisson(rng, 1.2); i > 0; --i) {
      double s = rng.Uniform(10, 18);
      d.Remove(s, s + rng.Uniform(1, 4));
    }
    absences = Poisson(rng, 6.0);
  }
  for (int i = absences; i > 0; --i) {
    double s = rng.Uniform(start, bed);
    d.Remove(s, s + rng.Uniform(3, 25) / 60);
  }
}

// The night that starts this evening, the morning after, and short visits during the day.
void BedroomDay(const Habits& h, int weekday, Rng& rng, DayVisits& d) {
  bool free_tomorrow = weekday == 4 || weekday == 5;  // Friday and Saturday nights
  double bed = rng.Normal(h.bed_h + (free_tomorrow ? 0.75 : 0), 0.4);
  double wake =
      24 + (free_tomorrow ? rng.Normal(h.wake_free_h, 0.6) : rng.Normal(h.wake_work_h, 0.25));
  int visits = Poisson(rng, IsWorkday(weekday) ? 1.0 : 2.0);
  double from = IsWorkday(weekday) ? 17.5 : 10.0;
  for (int i = 0; i < visits; ++i) {
    double s = rng.Uniform(from, bed - 0.3);
    d.Add(s, s + rng.Uniform(1, 8) / 60, VisitMode::kNormal);
  }
  d.Add(bed, wake + rng.Uniform(5, 15) / 60, VisitMode::kSleep, bed + rng.Uniform(5, 30) / 60);
  for (int i = Poisson(rng, 0.4); i > 0; --i) {
    double s = rng.Uniform(bed + 0.5, wake - 0.5);
    d.Remove(s, s + rng.Uniform(2, 6) / 60);
  }
}

void BriefEntriesDay(Rng& rng, size_t people, std::vector<DayVisits>& days) {
  int k = 4 + static_cast<int>(rng.Below(5));
  double slot = 14.0 / k;  // one entry per slot between 07:00 and 21:00: never overlapping
  for (int i = 0; i < k; ++i) {
    double s = 7 + i * slot + rng.Uniform(0, slot - 0.1);
    size_t who = static_cast<size_t>(rng.Below(people));
    days[who].Add(s, s + rng.Uniform(60, 270) / 3600, VisitMode::kBrief);
  }
}

void StillDay(RoomType type, Rng& rng, DayVisits& d) {
  double a = 13.5, b = 17.5, c = 18.5, e = 22.5;  // living: afternoon and evening reading
  if (type == RoomType::kOffice) a = 8.75, b = 12.0, c = 13.0, e = 17.25;
  if (type == RoomType::kBedroom) a = 13.0, b = 16.5, c = 19.0, e = 22.0;
  d.Add(a + rng.Uniform(-0.25, 0.25), b, VisitMode::kStill);
  d.Add(c, e + rng.Uniform(-0.25, 0.25), VisitMode::kStill);
}

}  // namespace

OccupancyPlan PlanOccupancy(const RoomProfile& room, int64_t first_day,
                            const std::vector<DayKind>& kinds, uint64_t seed) {
  size_t regular = static_cast<size_t>(room.occupants);
  size_t people = std::max<size_t>(regular, 1) + (room.has_cleaner ? 1 : 0);
  OccupancyPlan plan;
  plan.people.resize(people);
  Rng habit_rng(StreamSeed(seed, Stream::kHabits));
  std::vector<Habits> habits;
  for (size_t p = 0; p < people; ++p) habits.push_back(DrawHabits(habit_rng, p));

  // A bedroom starts in the middle of a night: the regular occupants are asleep until they wake.
  if (room.type == RoomType::kBedroom && !kinds.empty() && kinds[0] == DayKind::kRegular) {
    int weekday = WeekdayOfDays(first_day);
    for (size_t p = 0; p < regular; ++p) {
      Rng rng(StreamSeed(seed, Stream::kOccupantDay, p));
      double wake = weekday < 5 ? rng.Normal(habits[p].wake_work_h, 0.25)
                                : rng.Normal(habits[p].wake_free_h, 0.6);
      DayVisits d;
      d.Add(0, wake + rng.Uniform(5, 15) / 60, VisitMode::kSleep, 0);
      d.AppendTo(&plan.people[p], 0);
    }
  }

  std::vector<DayVisits> day(people);
  for (size_t i = 0; i < kinds.size(); ++i) {
    int64_t offset = static_cast<int64_t>(i) * kSecondsPerDay;
    int weekday = WeekdayOfDays(first_day + static_cast<int64_t>(i));
    Rng rng(StreamSeed(seed, Stream::kOccupantDay, 1000 + i));
    if (kinds[i] != DayKind::kRegular) {
      for (std::vector<Visit>& it : plan.people) {  // last night's stay ends at midnight
        while (!it.empty() && it.back().start_s >= offset) it.pop_back();
        if (!it.empty() && it.back().end_s > offset) it.back().end_s = offset;
      }
    }
    switch (kinds[i]) {
      case DayKind::kRegular:
        for (size_t p = 0; p < regular; ++p) {
          if (room.type == RoomType::kOffice) OfficeDay(habits[p], weekday, rng, day[p]);
          if (room.type == RoomType::kLiving) LivingDay(habits[p], weekday, rng, day[p]);
          if (room.type == RoomType::kBedroom) BedroomDay(habits[p], weekday, rng, day[p]);
        }
        if (room.has_cleaner) CleanerDay(weekday, rng, day[people - 1]);
        break;
      case DayKind::kEmpty:
        break;
      case DayKind::kBriefEntries:
        BriefEntriesDay(rng, std::max<size_t>(regular, 1), day);
        break;
      case DayKind::kStillOccupant:
        StillDay(room.type, rng, day[0]);
        break;
    }
    for (size_t p = 0; p < people; ++p) day[p].AppendTo(&plan.people[p], offset);
  }
  return plan;
}

}  // namespace emlkit::roomsim
