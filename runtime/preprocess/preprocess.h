// The preprocessing on the device: turns a stream of raw sensor rows into the model's input
// records exactly as the host's data::Preprocessor (src/data/preprocessor.h) and `emlkit data
// prepare` do (docs/dataset-json.md, "Arithmetic"): same steps, same order, same float/double
// types, so the records are the same bits. Freestanding C++11: no heap, no exceptions, no RTTI;
// only <stdint.h>, <stddef.h>, <string.h>, <math.h>. Not thread-safe; one Preprocessor per stream.
//
// The configuration (constants) and every buffer (state) come from the caller, normally the
// code `emlkit export` generates (NAME_preprocess.cc, src/export/preprocess_gen.h), which sizes
// them for one model:
//
//   static emlkit::pre::Preprocessor pre;      // pre.Init(&kConfig, buffers) once
//   void OnRecord(const float* record, void* user) { RunModel(record); }
//   pre.Push(t_seconds, raw_row, OnRecord, nullptr);  // per sensor row
//
// Per row: duplicate / time going back / gap (a new segment resets all state) -> clip -> stuck
// -> causal Hampel -> missing (hold or drop) -> resample -> time features -> float32 scaling ->
// window (raw rows or statistics). Build with -ffp-contract=off (the .cc also asks the compiler
// for it): a fused multiply-add would change the bits of the window sums.
#ifndef EMLKIT_PREPROCESS_PREPROCESS_H_
#define EMLKIT_PREPROCESS_PREPROCESS_H_

#include <stddef.h>
#include <stdint.h>

namespace emlkit {
namespace pre {

enum class Stuck : uint8_t { kReport = 0, kMissing, kDrop };
enum class TimeFeature : uint8_t { kTod = 0, kWeekend };  // tod adds 2 channels, weekend 1
enum class Stat : uint8_t { kMean = 0, kStd, kMin, kMax, kLast, kRms, kSlope };

// Constants; arrays are per raw column (num_columns) or per channel (num_channels = columns +
// time features) as noted. All pointers must outlive the Preprocessor.
// A plain aggregate (no default member initializers: C++11), written out in full by the code
// emlkit export generates.
struct Config {
  int32_t num_columns;
  int32_t num_channels;
  bool has_timestamp;     // without one, t is ignored (no segments, no time features)
  bool drop_duplicates;   // a row with the previous row's time is dropped
  double max_gap_s;       // a longer step starts a new segment; 0 = off
  const double* clip_lo;  // per column (-inf where none); nullptr = no clipping
  const double* clip_hi;
  bool clip_to_missing;  // out-of-range values become NaN instead of the bound
  int32_t stuck_rows;    // 0 = off
  Stuck stuck;
  int32_t hampel_window;  // rows; 0 = no Hampel filter
  double hampel_threshold;
  const double* hampel_min_scale;  // per column
  bool missing_hold;               // hold the last value (false: drop the row)
  double resample_s;               // 0 = no resampling
  bool resample_linear;
  const TimeFeature* time_features;
  int32_t num_time_features;
  const float* offset;  // per channel
  const float* scale;   // per channel
  int32_t window_size;  // 0: every row is a record
  int32_t window_stride;
  bool window_raw;  // raw [window, channels] records instead of statistics
  const Stat* stats;
  int32_t num_stats;
  int32_t record_size;  // floats per record
};

// Caller-owned state, sized for the Config (window = max(window_size, 1)).
struct Buffers {
  double* row;             // num_channels
  double* stuck_last;      // num_columns (stuck_rows > 0)
  int32_t* stuck_run;      // num_columns (stuck_rows > 0)
  double* hampel_ring;     // num_columns * hampel_window (hampel_window > 0)
  double* hampel_scratch;  // hampel_window
  int32_t* hampel_filled;  // num_columns
  int32_t* hampel_next;    // num_columns
  double* held;            // num_columns
  double* resample_in;     // num_columns (resample_s > 0)
  double* resample_v0;     // num_columns (resample_s > 0)
  double* resample_out;    // num_columns (resample_s > 0)
  float* scaled;           // num_channels
  float* ring;             // window * num_channels
  float* record;           // record_size
};

// Receives each completed record (record_size floats, valid during the call).
using RecordFn = void (*)(const float* record, void* user);

class Preprocessor {
 public:
  // Keeps the pointers; starts a new segment.
  void Init(const Config* config, const Buffers& buffers);
  // Forgets windows, held values and filters (a new segment).
  void Reset();
  // Feeds one row: t in seconds since 1970-01-01, raw[num_columns] (NaN = missing). Calls
  // on_record (if not null) for every record the row completes, oldest first, and returns how
  // many completed: 0 while a window fills or when the row is dropped, more than 1 only with
  // resampling (the row closes several grid times).
  int Push(double t, const double* raw, RecordFn on_record, void* user);

 private:
  void Clip(double* v) const;
  bool StuckPass(double* v);
  void Hampel(double* v);
  bool Missing(double* v);
  int Emit(double t, const double* values, RecordFn on_record, void* user);
  bool Window(const float* row, float* record);
  void Statistics(int32_t oldest, float* out);

  const Config* c_ = nullptr;
  Buffers b_{};
  bool has_prev_ = false;
  double prev_t_ = 0;
  bool rs_started_ = false;
  double rs_t0_ = 0;
  int64_t rs_next_k_ = 0;
  int32_t filled_ = 0;  // window rows held (up to window_size)
  int32_t next_ = 0;    // ring slot the next row goes to
  int32_t wait_ = 0;    // rows until the next record once the window is full
};

// Quantizes a float record to int8 as TFLite's AffineQuantize (and emlkit's host runner) does:
// round(x / scale) + zero_point, clamped to [-128, 127]; NaN becomes the zero point.
void QuantizeInt8(const float* x, int32_t n, float scale, int32_t zero_point, int8_t* out);

}  // namespace pre
}  // namespace emlkit

#endif  // EMLKIT_PREPROCESS_PREPROCESS_H_
