// The runtime's Eval functions by name, for the ahead-of-time code generator (host only).
//
// Generated code calls each operator's Eval function directly, so the generator needs the name
// (and the header declaring it) of the function Prepare chose. Every kernel declares its Eval
// functions in its header; FULLY_CONNECTED is the exception: its int8 loop is picked per build
// (portable, Armv7E-M DSP, x86) by SelectFullyConnectedEval, which generated code calls at init.
#ifndef EMLKIT_RUNTIME_AOT_EVAL_NAMES_H_
#define EMLKIT_RUNTIME_AOT_EVAL_NAMES_H_

#include "kernels/kernel.h"

namespace emlkit::rt {

struct EvalName {
  EvalFn fn;
  const char* name;    // unqualified, in namespace emlkit::rt
  const char* header;  // relative to runtime/, e.g. "kernels/conv.h"
  const char* source;  // the portable file defining it, relative to runtime/
};

// The entry for `fn`, or null when `fn` is not a named Eval function.
const EvalName* FindEvalName(EvalFn fn);

}  // namespace emlkit::rt

#endif  // EMLKIT_RUNTIME_AOT_EVAL_NAMES_H_
