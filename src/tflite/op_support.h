// Operator names and whether emlkit's runtime runs an operator, for the host: both come from the
// runtime's single op table (runtime/include/emlkit/op_list.h), so `emlkit inspect` and the
// device can never disagree about what is supported.
#ifndef EMLKIT_TFLITE_OP_SUPPORT_H_
#define EMLKIT_TFLITE_OP_SUPPORT_H_

#include <string>

#include "tflite/model.h"

namespace emlkit::tflite {

// "FULLY_CONNECTED"; "CUSTOM:SignalWindow" for custom operators (the form golden meta.json uses);
// "BUILTIN_<code>" for a code the schema does not define.
std::string OpName(const Operator& op);

// Empty when the runtime runs `op` (its builtin code at its version); otherwise why not, e.g.
// "no kernel" or "version 12, emlkit runs up to version 9".
std::string UnsupportedReason(const Operator& op);

}  // namespace emlkit::tflite

#endif  // EMLKIT_TFLITE_OP_SUPPORT_H_
