// The occupancy model in the loop: a .tflite classifier made by emlkit, run the way the firmware
// runs it. From the model's `emlkit` metadata (docs/model-metadata.md) it takes the class names
// and the training data's dataset.json ("preprocessing"), builds data::Preprocessor from it, and
// for every sensor row: raw values -> Preprocessor (cleaning, scaling, windows, exactly as
// `data prepare` did) -> tflite::Runner (the device runtime's kernels; int8 inputs quantized and
// outputs dequantized by the runner) -> P(occupied).
//
// Raw columns are matched by name (case-insensitive) to the simulated readings: temperature_c,
// humidity_pct, light_lux, co2_ppm, motion (the roomsim CSV), or Temperature, Humidity, Light,
// CO2 and HumidityRatio (the UCI occupancy files; the ratio is computed from temperature and
// humidity). Ground-truth columns (occupied, occupants, heater_w, fault) are refused.
//
// P(occupied): the output of the class named "1", "occupied", "true" or "yes" (or, with two
// classes, the one that is not "0", "unoccupied", "empty", "false" or "no"). Outputs after a
// SOFTMAX or LOGISTIC operator are probabilities; otherwise they are taken as logits (softmax,
// or the logistic function for a single output). Use the sampling period the training data had:
// windows, the Hampel window and stuck runs count rows, not seconds (CheckPeriod).
#ifndef EMLKIT_ROOMSIM_MODEL_OCCUPANCY_H_
#define EMLKIT_ROOMSIM_MODEL_OCCUPANCY_H_

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "roomsim/closed_loop.h"

namespace emlkit::roomsim {

class TfliteOccupancyModel : public OccupancyModel {
 public:
  // Errors (exit code 2) name the file and what is wrong: no emlkit metadata, not a
  // classifier, no occupied class, a column the simulator does not have, ...
  static Result<std::unique_ptr<TfliteOccupancyModel>> Open(const std::string& path);
  ~TfliteOccupancyModel() override;

  Status Reset() override;
  Result<float> Predict(const Sample& sample) override;

  // The same for any row: `t` in seconds since 1970-01-01 (local time), `values` by column
  // name (see above; NaN = missing). Unknown columns are an error.
  Result<float> PredictNamed(double t, double temperature_c, double humidity_pct, double light_lux,
                             double co2_ppm, double motion);

  // An error (exit code 2) if the preprocessing counts rows and the training data's period
  // (dataset.json's period_s) differs from `period_s` by more than 1 %; Ok when either is
  // unknown or nothing counts rows.
  Status CheckPeriod(double period_s) const;
  double training_period_s() const;  // 0 = unknown

  const std::vector<std::string>& columns() const;
  const std::vector<std::string>& labels() const { return labels_; }
  int occupied_class() const { return occupied_class_; }

 private:
  struct Impl;
  TfliteOccupancyModel();
  Result<float> Run(double t, const double* sensor_values);

  std::unique_ptr<Impl> impl_;
  std::vector<std::string> labels_;
  std::string path_;
  int occupied_class_ = 1;
};

// The ground truth as a model: P(occupied) = 1 while someone is in the room during the period
// just simulated, else 0. No sensor can do better; in closed loop it shows what any occupancy
// detector could reach at best in a room (the heater still reacts one period late and has to
// warm the room after each arrival). For analysis only (thermostat-eval --model @oracle).
//
// With lookahead_s > 0 it also knows the future: P = 1 when someone is in the room now or at
// any time in the next lookahead_s (people do not react to the heater, so a shadow run of the
// same room with the heater off shows who will come). That is what a perfect forecast of
// arrivals would give: the heater can warm the room before people come.
class OracleOccupancy : public OccupancyModel {
 public:
  explicit OracleOccupancy(int lookahead_s = 0) : lookahead_s_(lookahead_s) {}
  ~OracleOccupancy() override;
  void BeginRun(const SimConfig& config) override;
  Status Reset() override;
  Result<float> Predict(const Sample& sample) override;

 private:
  int lookahead_s_;
  SimConfig config_;
  std::unique_ptr<RoomSimulator> shadow_;
  std::vector<bool> ahead_;  // ring of the shadow's next occupancy flags
  size_t head_ = 0;
  int64_t occupied_ahead_ = 0;
};
// "@oracle" or "@oracle:MINUTES" (lookahead).
inline constexpr const char* kOracleModelName = "@oracle";

// TfliteOccupancyModel::Open and CheckPeriod(period_s), as the OccupancyModel interface
// (thermostat-eval); `path` "@oracle" or "@oracle:M" gives OracleOccupancy (M minutes of
// lookahead).
Result<std::unique_ptr<OccupancyModel>> OpenModelOccupancy(const std::string& path,
                                                           double period_s);

}  // namespace emlkit::roomsim

#endif  // EMLKIT_ROOMSIM_MODEL_OCCUPANCY_H_
