#include "export/thermostat_example.h"

#include <fmt/format.h>

#include <cctype>
#include <nlohmann/json.hpp>

#include "export/engine_interpreter.h"
#include "export/packages.h"

namespace emlkit::exporter {

const char* const kThermostatRuntimeFiles[3] = {"app/thermostat.h", "app/thermostat.cc",
                                                "app/thermostat_settings.h"};

namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The sensor feeding a raw column (the names `emlkit roomsim` and the UCI occupancy data use),
// or "" (examples/thermostat-firmware/firmware.cc maps the same names).
std::string SensorFor(const std::string& column) {
  const std::string c = Lower(column);
  if (c == "temperature_c" || c == "temperature") return "temperature";
  if (c == "humidity_pct" || c == "humidity") return "humidity";
  if (c == "light_lux" || c == "light") return "light";
  if (c == "co2_ppm" || c == "co2") return "co2";
  if (c == "motion") return "motion";
  return "";
}

// The index of "occupied" among the labels (the host closed loop's rule,
// src/roomsim/model_occupancy.cc), or -1.
int OccupiedIndex(const std::vector<std::string>& labels) {
  for (size_t i = 0; i < labels.size(); ++i) {
    const std::string l = Lower(labels[i]);
    if (l == "1" || l == "occupied" || l == "true" || l == "yes") return static_cast<int>(i);
  }
  for (size_t i = 0; labels.size() == 2 && i < 2; ++i) {
    const std::string l = Lower(labels[i]);
    if (l == "0" || l == "unoccupied" || l == "empty" || l == "false" || l == "no")
      return static_cast<int>(1 - i);
  }
  return -1;
}

}  // namespace

Result<ThermostatModel> CheckThermostatModel(const ModelInfo& m, const nlohmann::json* metadata,
                                             const std::string& path) {
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument(
        fmt::format("{}: --example thermostat: {}; nothing was written. The thermostat example "
                    "needs an occupancy model trained on the thermostat's sensors, e.g. from "
                    "`emlkit demo` or `emlkit roomsim` + `emlkit data prepare` + `emlkit train`",
                    path, why));
  };
  const nlohmann::json* pipeline = nullptr;
  if (metadata != nullptr && metadata->contains("preprocessing")) {
    const nlohmann::json& pre = (*metadata)["preprocessing"];
    if (pre.is_object() && pre.contains("pipeline")) pipeline = &pre["pipeline"];
  }
  if (pipeline == nullptr || !pipeline->contains("columns") || !(*pipeline)["columns"].is_array())
    return bad(
        "the model's metadata records no preprocessing, so the raw sensor columns it takes "
        "are unknown (and --no-preprocess leaves the preprocessing out)");
  ThermostatModel t;
  for (const auto& c : (*pipeline)["columns"]) {
    const std::string name = c.is_string() ? c.get<std::string>() : c.dump();
    const std::string sensor = SensorFor(name);
    if (sensor.empty())
      return bad(
          fmt::format("the model takes the column '{}', which is not a thermostat sensor "
                      "(temperature_c, humidity_pct, light_lux, co2_ppm, motion)",
                      name));
    t.sensors.push_back(sensor);
  }
  t.occupied_class = OccupiedIndex(m.labels);
  if (t.occupied_class < 0)
    return bad(fmt::format(
        "none of the model's classes ({}) reads as 'occupied'; name them 0/1 "
        "or unoccupied/occupied when preparing the data",
        m.labels.empty() ? "none recorded" : fmt::format("{}", fmt::join(m.labels, ", "))));
  int64_t outputs = 1;
  if (!m.outputs.empty()) {
    for (int64_t d : m.outputs[0].shape) outputs *= d;
  }
  if (m.outputs.empty() ||
      !(outputs == static_cast<int64_t>(m.labels.size()) || (outputs == 1 && m.labels.size() == 2)))
    return bad(fmt::format("output 0 has {} values for {} classes", outputs, m.labels.size()));
  std::string last;
  for (const std::string& op : m.op_names) {
    if (op != "QUANTIZE" && op != "DEQUANTIZE") last = op;
  }
  t.probabilities = last == "SOFTMAX" || last == "LOGISTIC";
  return t;
}

std::string ThermostatSketch(const ModelInfo& m, const ThermostatModel& t) {
  const std::string p = MacroPrefix(m.name);
  std::string raw;
  for (size_t i = 0; i < t.sensors.size(); ++i) {
    const std::string& s = t.sensors[i];
    raw += fmt::format("{}{}", i ? ",\n                                 " : "",
                       s == "temperature" ? "temperature_c"
                       : s == "humidity"  ? "readHumidityPct()"
                       : s == "light"     ? "readLightLux()"
                       : s == "co2"       ? "readCo2Ppm()"
                                          : "motion < 0 ? NAN : (double)motion");
  }
  return Banner(m, "//") + fmt::format(R"ino(//
// The thermostat of examples/thermostat-firmware as a sketch. Every {1}_PERIOD_S seconds (60
// when the model records no period) it reads the sensors, turns the row into the model's input
// with {0}_push_row_each() (the training data's preprocessing), runs {0} when a record
// completes, reads P(occupied) from its scores (emlkit::app::OccupancyFromScores, as the host
// closed loop of `emlkit thermostat-eval` does) and lets the controller (app/thermostat.h:
// occupancy smoothing, comfort/setback setpoints, hysteresis, sensor supervision; the room's
// settings in app/thermostat_settings.h) switch the heater's relay. One line per decision on the
// serial port (115200 baud):
//   day 20458 08:01 p 0.873 temp 20.41 setpoint 21.00 heater 1 occupied 1 fault 0
// (p: the model's P(occupied), "-" while its window fills; heater: the relay).
#include <{0}.h>
#include <{0}_preprocess.h>

#define THERMOSTAT_SAMPLING_PERIOD_S ((unsigned long)({1}_PERIOD_S > 0 ? {1}_PERIOD_S : 60))
#define THERMOSTAT_OCCUPIED_CLASS {2}        // the output index of "occupied"
#define THERMOSTAT_OUTPUT_PROBABILITIES {3}  // 1: the outputs are probabilities; 0: logits
#include <app/thermostat_settings.h>  // the room's settings: OfficeThermostatConfig()

const int kRelayPin = 7;  // the heater's relay: HIGH = heating
const int kPirPin = 2;    // the PIR motion sensor's output

// Replace with your sensors, in the units the model was trained with (NAN when a reading
// failed). These read analog pins A0-A3 with illustrative scalings.
float readTemperatureC() {{ return analogRead(A0) * (500.0f / 1023.0f) - 50.0f; }}  // TMP36
float readHumidityPct() {{ return analogRead(A1) * (100.0f / 1023.0f); }}
float readLightLux() {{ return analogRead(A2) * (1000.0f / 1023.0f); }}
float readCo2Ppm() {{ return 400.0f + analogRead(A3) * (4600.0f / 1023.0f); }}
// PIR events: rising edges of kPirPin counted between two rows (loop() polls the pin).
int g_motion = 0;
int g_pir_last = LOW;

// The local date and time at power-up: replace with a real clock (an RTC, NTP). Days since
// 1970-01-01 (20458 is Monday 2026-01-05) and the second of the day.
unsigned long g_day = 20458;
unsigned long g_second_of_day = 8 * 3600UL;

emlkit::app::Thermostat g_thermostat;
float g_occupancy = NAN;  // this period's P(occupied); NaN while the window fills

// Called when a record is complete. `features` is the preprocessing's own buffer: the sketch
// keeps no copy (an Uno has 2 KB of RAM).
void onRecord(const float* features, void*) {{
  {4}
  if (!ok) return;
  float scores[{1}_OUTPUT0_ELEMENTS];
  for (int k = 0; k < {1}_OUTPUT0_ELEMENTS; ++k) scores[k] = {0}_output_float(0, k);
  g_occupancy = emlkit::app::OccupancyFromScores(scores, {1}_OUTPUT0_ELEMENTS,
                                                 THERMOSTAT_OCCUPIED_CLASS,
                                                 THERMOSTAT_OUTPUT_PROBABILITIES != 0);
}}

{5}

void printDecision(const emlkit::app::ThermostatOutput& out) {{
  Serial.print(F("day "));
  Serial.print(g_day);
  Serial.print(' ');
  const unsigned long minute = g_second_of_day / 60;
  if (minute / 60 < 10) Serial.print('0');
  Serial.print(minute / 60);
  Serial.print(':');
  if (minute % 60 < 10) Serial.print('0');
  Serial.print(minute % 60);
  Serial.print(F(" p "));
  if (isnan(g_occupancy)) Serial.print('-');
  else Serial.print(g_occupancy, 3);
  Serial.print(F(" temp "));
  Serial.print(out.temperature_c, 2);
  Serial.print(F(" setpoint "));
  Serial.print(out.setpoint_c, 2);
  Serial.print(F(" heater "));
  Serial.print(out.heating ? 1 : 0);
  Serial.print(F(" occupied "));
  Serial.print(out.occupied ? 1 : 0);
  Serial.print(F(" fault "));
  Serial.println(out.sensor_fault ? 1 : 0);
}}

void loop() {{
  static unsigned long last_ms = 0;
  static bool started = false;
  const int pir = digitalRead(kPirPin);
  if (pir == HIGH && g_pir_last == LOW) ++g_motion;
  g_pir_last = pir;
  if (started && millis() - last_ms < THERMOSTAT_SAMPLING_PERIOD_S * 1000UL) return;
  if (started) {{
    last_ms += THERMOSTAT_SAMPLING_PERIOD_S * 1000UL;
    g_second_of_day += THERMOSTAT_SAMPLING_PERIOD_S;
    if (g_second_of_day >= 86400UL) g_second_of_day -= 86400UL, ++g_day;
  }} else {{
    last_ms = millis();
    started = true;
  }}
  const float temperature_c = readTemperatureC();
  const int motion = g_motion;  // replace with -1 when the PIR gave no reading
  g_motion = 0;
  // The time modulo 28 days: the same time of day and weekday for the time features, small
  // enough for AVR's 32-bit double (the preprocessing starts a new window when it wraps).
  const double t = (double)(g_day % 28) * 86400.0 + (double)g_second_of_day;
  double raw[{1}_NUM_COLUMNS] = {{{6}}};
  g_occupancy = NAN;
  {0}_push_row_each(t, raw, onRecord, NULL);

  emlkit::app::ThermostatInput in;
  in.dt_s = THERMOSTAT_SAMPLING_PERIOD_S;
  in.weekday = (uint8_t)((g_day + 3) % 7);  // 1970-01-01 was a Thursday; 0 = Monday
  in.second_of_day = g_second_of_day;
  in.temperature_c = temperature_c;
  in.motion_events = motion;
  in.occupancy_probability = g_occupancy;
  const emlkit::app::ThermostatOutput out = g_thermostat.Step(in);
  // A relay switches the heater fully on or off (in a sensor fault the controller asks for a
  // fraction of its power: the relay then stays on; use a time-proportioned output for it).
  digitalWrite(kRelayPin, out.heater_w > 0 ? HIGH : LOW);
  printDecision(out);
}}
)ino",
                                       m.name, p, t.occupied_class, t.probabilities ? 1 : 0,
                                       FeedRecord(m, "  "),
                                       ArduinoSetup(m, fmt::format(R"ino(  {0}_reset();
  pinMode(kRelayPin, OUTPUT);
  pinMode(kPirPin, INPUT);
  if (!g_thermostat.Init(emlkit::app::OfficeThermostatConfig())) {{
    Serial.println(F("the thermostat settings are invalid (app/thermostat_settings.h)"));
  }}
)ino",
                                                                   m.name)),
                                       raw);
}

std::string ThermostatReadme(const ModelInfo& m) {
  return fmt::format(
      "\n## The thermostat example\n\n`examples/thermostat/thermostat.ino` (from `--example "
      "thermostat`): the thermostat firmware of emlkit's `examples/thermostat-firmware` as a "
      "sketch. Once per period it reads temperature, humidity, light, CO2 (analog pins A0-A3) "
      "and PIR motion (pin 2) — replace `readTemperatureC()` ... with your sensors and set the "
      "clock —, feeds the row through `{0}_push_row_each()`, runs the model, reads P(occupied) "
      "with `emlkit::app::OccupancyFromScores` and lets the controller (`src/app/thermostat.h`; "
      "the room's settings: `src/app/thermostat_settings.h`) switch the heater relay on pin 7. "
      "It prints one line per decision: `day D HH:MM p P temp T setpoint S heater 0|1 occupied "
      "0|1 fault 0|1`.\n",
      m.name);
}

}  // namespace emlkit::exporter
