// Building emlkit firmware for an emulated target: the device runtime compiled once per target
// into a cached static library, then per model a generated model file (the .tflite as an aligned
// const array plus its arena), the op-selection header and two links: the replay firmware (with
// the harness's file I/O) and the minimal deployable image whose sizes are reported.
#ifndef EMLKIT_SIM_FIRMWARE_H_
#define EMLKIT_SIM_FIRMWARE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "sim/targets.h"

namespace emlkit::sim {

// The source tree holding runtime/ and targets/: $EMLKIT_HOME when set, else the tree emlkit
// was built from. An InvalidArgument (exit 2) saying what to set when they are missing.
Result<std::string> SourceDir();

// The folder caching compiled runtimes: $EMLKIT_SIM_CACHE, else $XDG_CACHE_HOME/emlkit/sim,
// else ~/.cache/emlkit/sim.
std::string CacheRoot();

// The sources of the runtime library for a target: runtime/src/*.cc (without registry.cc, which
// is compiled per model) and runtime/kernels/*.cc plus runtime/kernels/reference/*.cc, where a
// runtime/kernels/<variants>/<op>.cc replaces reference/<op>.cc of the same name. Paths are
// relative to `source_dir`, sorted.
std::vector<std::string> RuntimeSources(const std::string& source_dir, const std::string& variants);

// The op-selection header registry.cc includes when EMLKIT_OPS_HEADER names it: defines
// EMLKIT_SELECTED_OPS(X) as the lines of EMLKIT_SUPPORTED_OPS whose builtin codes `codes`
// contains (duplicates and unsupported codes ignored), in op-list order.
std::string OpsHeader(const std::vector<int32_t>& codes, const std::string& model_name);

// The generated model file: emlkit_model_data (16-byte aligned const array), emlkit_model_size.
std::string ModelSource(const std::vector<uint8_t>& model, const std::string& model_name);
// The generated arena file: emlkit_arena (16-byte aligned, `arena_bytes` rounded up to 16) and
// emlkit_arena_size.
std::string ArenaSource(size_t arena_bytes);

// A cached runtime build for a target (built on first use).
struct RuntimeBuild {
  std::string dir;     // cache folder: libemlkit_rt.a, startup.o, replay.o, markers.o, minimal.o
  bool built = false;  // true when this call compiled it (false: it was cached)
  std::vector<std::string> compile_flags;  // C++ flags for per-model files
};
Result<RuntimeBuild> BuildRuntime(const TargetSpec& t, const std::string& source_dir);

struct ImageSizes {
  int64_t text = 0, rodata = 0, data = 0, bss = 0;  // bss includes the arena
  int64_t flash = 0;                                // text + rodata + data + tables
  int64_t runtime_flash = 0;                        // the part of `flash` from the runtime library
  int64_t model_flash = 0;                          // the model array
};
// Parses `size -A` output (section sizes of the image).
ImageSizes ParseSizeOutput(const std::string& size_a);
// Adds runtime_flash/model_flash from a GNU ld map file: input sections kept in flash whose file
// is the runtime library or the generated model object.
void AddMapFigures(const std::string& map_text, ImageSizes* sizes);

// Per-model firmware, built in `work_dir`.
struct Firmware {
  std::string replay_elf, minimal_elf;
  std::vector<uint64_t> markers;  // addresses of the six marker functions (harness.h order)
  ImageSizes image;               // of the minimal image
};
// The replay firmware, with an arena of `arena_bytes` (generous: the device's kernels may plan
// more than the host's; the harness reports what Init used).
Result<Firmware> BuildReplayFirmware(const TargetSpec& t, const std::string& source_dir,
                                     const RuntimeBuild& rt, const std::vector<uint8_t>& model,
                                     const std::vector<int32_t>& op_codes, size_t arena_bytes,
                                     const std::string& model_name, const std::string& work_dir);
// The minimal deployable image with an arena of exactly `arena_bytes` (what the device's Init
// used); fills fw->minimal_elf and fw->image. Reuses the replay build's objects in `work_dir`.
Status BuildMinimalImage(const TargetSpec& t, const std::string& source_dir, const RuntimeBuild& rt,
                         size_t arena_bytes, const std::string& work_dir, Firmware* fw);

// The replay firmware and the minimal image over ahead-of-time generated code instead of the
// interpreter (emlkit sim --format aot): the model generated as emlkit_aot_model.{h,cc}
// (export/aot.h, compiled with -Wextra -Werror), replay.cc and minimal.cc compiled with
// EMLKIT_HARNESS_AOT, linked against the same cached runtime (only the kernels the generated code
// calls are kept). Fills replay_elf, minimal_elf, markers and image; `arena_bytes` receives the
// generated arena's size. model_flash counts the generated code and its data.
Result<Firmware> BuildAotFirmware(const TargetSpec& t, const std::string& source_dir,
                                  const RuntimeBuild& rt, const std::vector<uint8_t>& model,
                                  const std::string& model_name, const std::string& work_dir,
                                  size_t* arena_bytes);

// Marker function names, in the order of their plugin ids.
const std::vector<std::string>& MarkerNames();
// Marker addresses from `nm` output (Thumb bit cleared); an error naming a missing marker.
Result<std::vector<uint64_t>> ParseMarkerAddresses(const std::string& nm_output);

}  // namespace emlkit::sim

#endif  // EMLKIT_SIM_FIRMWARE_H_
