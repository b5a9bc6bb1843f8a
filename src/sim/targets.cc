#include "sim/targets.h"

#include <fmt/format.h>

namespace emlkit::sim {
namespace {

std::vector<TargetSpec> MakeTargets() {
  const std::vector<std::string> arm_tools = {"gcc-arm-none-eabi", "picolibc-arm-none-eabi",
                                              "qemu-system-arm"};
  const std::vector<std::string> arm_libc = {"--specs=picolibc.specs", "--oslib=semihost"};
  std::vector<TargetSpec> t;
  t.push_back({"cortex-m4",
               "Cortex-M4F with DSP (STM32F4, nRF52 class), QEMU mps2-an386",
               TargetFamily::kCortexM,
               "arm-none-eabi-gcc",
               "arm-none-eabi-g++",
               "arm-none-eabi-nm",
               "arm-none-eabi-size",
               {"-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"},
               arm_libc,
               "qemu-system-arm",
               {"-M", "mps2-an386"},
               "arm_dsp",
               arm_tools});
  t.push_back({"cortex-m0plus",
               "Cortex-M0+ (RP2040 class: armv6-m, no FPU, no DSP), run on QEMU mps2-an385",
               TargetFamily::kCortexM,
               "arm-none-eabi-gcc",
               "arm-none-eabi-g++",
               "arm-none-eabi-nm",
               "arm-none-eabi-size",
               {"-mcpu=cortex-m0plus", "-mthumb"},
               arm_libc,
               "qemu-system-arm",
               {"-M", "mps2-an385"},
               "",
               arm_tools});
  t.push_back({"cortex-m7",
               "Cortex-M7 with single-precision FPU (STM32F7 class), QEMU mps2-an500",
               TargetFamily::kCortexM,
               "arm-none-eabi-gcc",
               "arm-none-eabi-g++",
               "arm-none-eabi-nm",
               "arm-none-eabi-size",
               {"-mcpu=cortex-m7", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv5-sp-d16"},
               arm_libc,
               "qemu-system-arm",
               {"-M", "mps2-an500"},
               "arm_dsp",
               arm_tools});
  t.push_back({"rv32",
               "RV32IMC, no FPU (ESP32-C3 class), QEMU virt",
               TargetFamily::kRv32,
               "riscv64-unknown-elf-gcc",
               "riscv64-unknown-elf-g++",
               "riscv64-unknown-elf-nm",
               "riscv64-unknown-elf-size",
               {"-march=rv32imc", "-mabi=ilp32"},
               {"--specs=picolibc.specs", "--oslib=semihost"},
               "qemu-system-riscv32",
               {"-M", "virt", "-bios", "none", "-cpu", "rv32,a=off,f=off,d=off"},
               "",
               {"gcc-riscv64-unknown-elf", "picolibc-riscv64-unknown-elf", "qemu-system-misc"}});
  t.push_back({"aarch64-linux",
               "64-bit Arm Linux (Raspberry Pi 4 class), static, qemu-aarch64",
               TargetFamily::kAarch64Linux,
               "aarch64-linux-gnu-gcc",
               "aarch64-linux-gnu-g++",
               "aarch64-linux-gnu-nm",
               "aarch64-linux-gnu-size",
               {"-march=armv8-a"},
               {},
               "qemu-aarch64",
               {},
               "",
               {"g++-aarch64-linux-gnu", "qemu-user"}});
  return t;
}

}  // namespace

const std::vector<TargetSpec>& AllTargets() {
  static const std::vector<TargetSpec> targets = MakeTargets();
  return targets;
}

std::string TargetNames() {
  std::string s;
  for (const TargetSpec& t : AllTargets()) s += (s.empty() ? "" : ", ") + t.name;
  return s;
}

const TargetSpec* FindTarget(const std::string& name) {
  for (const TargetSpec& t : AllTargets()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

Status CheckTools(const TargetSpec& t, const std::function<bool(const std::string&)>& on_path) {
  std::vector<std::string> missing;
  for (const std::string& p : {t.cc, t.cxx, t.nm, t.size, t.emulator}) {
    if (!on_path(p)) missing.push_back(p);
  }
  if (missing.empty()) return Status::Ok();
  return Status::InvalidArgument(fmt::format(
      "--emulate {}: {} not installed; install the Debian packages with\n  sudo apt-get install {}",
      t.name, fmt::join(missing, ", "), fmt::join(t.packages, " ")));
}

}  // namespace emlkit::sim
