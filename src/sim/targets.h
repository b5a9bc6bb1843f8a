// The emulated targets of `emlkit sim --emulate`: compilers, flags, emulator command and the
// Debian packages that provide them. The target-side files (startup code, linker scripts, the
// replay harness) live in targets/ at the top of the source tree.
#ifndef EMLKIT_SIM_TARGETS_H_
#define EMLKIT_SIM_TARGETS_H_

#include <functional>
#include <string>
#include <vector>

#include "common/status.h"

namespace emlkit::sim {

enum class TargetFamily { kCortexM, kRv32, kAarch64Linux };

struct TargetSpec {
  std::string name;   // "cortex-m4"
  std::string board;  // what it stands for ("Cortex-M4F MCU (STM32F4, nRF52 class)")
  TargetFamily family;
  std::string cc, cxx, nm, size;        // cross tools
  std::vector<std::string> arch_flags;  // for compiling and linking
  std::vector<std::string> libc_flags;  // picolibc specs, or nothing (aarch64-linux: glibc)
  std::string emulator;                 // qemu-system-arm, ...
  std::vector<std::string> machine;     // emulator arguments choosing the board and core
  std::string kernel_variants;          // runtime/kernels/<this>/<op>.cc replace reference/
  std::vector<std::string> packages;    // Debian packages providing the tools
};

// Every target, in the order `--help` lists them.
const std::vector<TargetSpec>& AllTargets();
std::string TargetNames();  // "cortex-m4, cortex-m0plus, ..."
// nullptr when unknown.
const TargetSpec* FindTarget(const std::string& name);

// Checks that the target's compilers and emulator are installed; otherwise an InvalidArgument
// (exit 2) naming the missing programs and the Debian packages to install. `on_path` decides
// whether a program exists (tests pass their own).
Status CheckTools(const TargetSpec& t, const std::function<bool(const std::string&)>& on_path);

}  // namespace emlkit::sim

#endif  // EMLKIT_SIM_TARGETS_H_
