// How the device runtime reports errors: a status code plus an ErrorInfo naming the operator and
// tensor concerned. No heap, no exceptions, no formatting: the message is a static string and the
// host (or the firmware, if it wants to) formats the whole report with FormatError-like code of
// its own (see src/tflite/runner.cc for the host's).
//
// C and C++ share the enum values (emlkit_runtime.h mirrors them).
#ifndef EMLKIT_STATUS_H_
#define EMLKIT_STATUS_H_

#include <stdint.h>

namespace emlkit {
namespace rt {

enum class Status : int32_t {
  kOk = 0,
  kInvalidArgument = 1,  // a bad call: null pointer, index out of range, wrong input size
  kCorruptModel = 2,     // the model bytes are not a valid .tflite (bad offset, size, index)
  kUnsupported = 3,      // a valid model using something emlkit does not run (op, type, option)
  kArenaTooSmall = 4,    // the caller's arena cannot hold the plan (ErrorInfo::needed says how
                         // many bytes would)
  kNotReady = 5,         // Invoke/inputs before a successful Init
};

// Name of a status for messages ("corrupt model", ...). Never null.
const char* StatusName(Status s);

// Details of the last error. `what` is a static English phrase ("buffer size does not match the
// tensor shape"); the other fields are -1 when they do not apply.
struct ErrorInfo {
  Status status = Status::kOk;
  const char* what = "";
  int32_t op_index = -1;  // operator position in the execution order
  int32_t op_code = -1;   // its builtin operator code (see op_list.h for names)
  int32_t tensor = -1;    // tensor index in the subgraph
  int64_t got = -1;       // optional value found ...
  int64_t expected = -1;  // ... and value wanted (both -1 when not meaningful)
  uint64_t needed = 0;    // kArenaTooSmall: arena bytes that would be enough (a lower bound when
                          // the arena ran out before planning finished)
};

}  // namespace rt
}  // namespace emlkit

// Early return on a non-ok Status (runtime code only).
#define EMLKIT_RT_TRY(expr)                                             \
  do {                                                                  \
    ::emlkit::rt::Status emlkit_rt_s_ = (expr);                         \
    if (emlkit_rt_s_ != ::emlkit::rt::Status::kOk) return emlkit_rt_s_; \
  } while (0)

#endif  // EMLKIT_STATUS_H_
