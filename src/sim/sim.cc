#include "sim/sim.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "../../targets/harness/exit_codes.h"
#include "common/fs.h"
#include "common/npy.h"
#include "data/dataset.h"
#include "sim/plugin_log.h"
#include "sim/process.h"
#include "sim/targets.h"
#include "tflite/runner.h"
#include "tflite/summary.h"

namespace fs = std::filesystem;

namespace emlkit::sim {
namespace {

constexpr size_t kMaxMismatches = 5;

Result<std::string> PluginPath() {
  if (const char* p = std::getenv("EMLKIT_SIM_PLUGIN"); p != nullptr && *p != '\0')
    return std::string(p);
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  std::string path = (exe.parent_path() / "libemlkit_icount.so").string();
  if (ec || !fs::exists(path)) {
    return Status::InvalidArgument(
        "the instruction-count plugin libemlkit_icount.so is not next to the emlkit binary (" +
        path + "): build the target emlkit_icount or set EMLKIT_SIM_PLUGIN to it");
  }
  return path;
}

// The data as one array per model input, records on the first axis.
Result<std::vector<NpyArray>> LoadInputs(const SimOptions& o, const tflite::Runner& runner,
                                         std::vector<std::string>* names) {
  std::vector<NpyArray> arrays;
  if (fs::is_directory(o.data)) {
    if (fs::exists(o.data + "/dataset.json")) {
      EMLKIT_ASSIGN_OR_RETURN(data::Dataset ds, data::LoadDataset(o.data));
      if (o.split != "train" && o.split != "val" && o.split != "test") {
        return Status::InvalidArgument("--split " + o.split + ": use train, val or test");
      }
      arrays.push_back(ds.split(o.split).x);
      names->push_back(o.data + "/X_" + o.split + ".npy");
    } else {
      for (int i = 0; i < runner.num_inputs(); ++i) {
        std::string p = fmt::format("{}/input{}.npy", o.data, i);
        if (!fs::exists(p)) {
          return Status::InvalidArgument(fmt::format(
              "--data {}: no dataset.json and no {} (give a data set folder from `emlkit data "
              "prepare`, a folder with input0.npy ... one per model input, or a .npy file)",
              o.data, p));
        }
        EMLKIT_ASSIGN_OR_RETURN(NpyArray a, ReadNpy(p));
        arrays.push_back(std::move(a));
        names->push_back(p);
      }
    }
  } else {
    if (runner.num_inputs() != 1) {
      return Status::InvalidArgument(fmt::format(
          "--data {}: the model has {} inputs; give a folder with input0.npy ... input{}.npy",
          o.data, runner.num_inputs(), runner.num_inputs() - 1));
    }
    EMLKIT_ASSIGN_OR_RETURN(NpyArray a, ReadNpy(o.data));
    arrays.push_back(std::move(a));
    names->push_back(o.data);
  }
  for (size_t i = 1; i < arrays.size(); ++i) {
    if (arrays[i].records() != arrays[0].records()) {
      return Status::InvalidArgument(fmt::format("{} has {} records but {} has {}", (*names)[i],
                                                 arrays[i].records(), (*names)[0],
                                                 arrays[0].records()));
    }
  }
  return arrays;
}

// Sets input i of `runner` to record r: the tensor's own dtype as is, float32 quantized as the
// host does it (Runner::SetInputFloat).
Status SetRecord(tflite::Runner& runner, int i, const NpyArray& a, int64_t r,
                 const std::string& name) {
  const tflite::RunnerTensor& t = runner.input(i);
  if (t.host_type && a.dtype() == t.dtype) return runner.SetInput(i, a, r);
  if (a.dtype() == DType::kFloat32) {
    const int64_t per = a.record_elements();
    return runner.SetInputFloat(
        i, std::span<const float>(a.data<float>() + r * per, static_cast<size_t>(per)));
  }
  return Status::InvalidArgument(
      fmt::format("{}: {} values for input {} ('{}', {}): give {} or "
                  "float32 (quantized like emlkit invoke/eval do)",
                  name, DTypeName(a.dtype()), i, t.name, t.type, t.type));
}

// The number after the first "key=" that has digits, -1 when there is none.
int64_t StatValue(const std::string& out, const std::string& key) {
  const std::string want = key + "=";
  for (size_t at = out.find(want); at != std::string::npos; at = out.find(want, at + 1)) {
    size_t begin = at + want.size(), end = begin;
    while (end < out.size() && out[end] >= '0' && out[end] <= '9') ++end;
    if (end > begin) return std::stoll(out.substr(begin, end - begin));
  }
  return -1;
}

std::string HarnessLine(const ProcessResult& p) {
  const std::string both = p.out + p.err;
  size_t at = both.rfind("emlkit-harness: ");
  if (at == std::string::npos) return "";
  std::string line = both.substr(at + 16);
  return line.substr(0, line.find('\n'));
}

}  // namespace

Result<SimReport> RunSim(const SimOptions& o) {
  const TargetSpec* t = FindTarget(o.target);
  if (t == nullptr) {
    return Status::InvalidArgument(
        fmt::format("--emulate {}: unknown target; use one of {}", o.target, TargetNames()));
  }
  EMLKIT_RETURN_IF_ERROR(CheckTools(*t, ProgramOnPath));
  if (!t->libc_flags.empty()) {
    // The compiler is there; is picolibc? gcc prints the bare name when it finds no such file.
    EMLKIT_ASSIGN_OR_RETURN(ProcessResult specs,
                            RunProcess({t->cc, "-print-file-name=picolibc.specs"}, "", 30));
    if (specs.out.find('/') == std::string::npos) {
      return Status::InvalidArgument(fmt::format(
          "--emulate {}: picolibc for {} is not installed; install the Debian packages with\n  "
          "sudo apt-get install {}",
          t->name, t->cc, fmt::join(t->packages, " ")));
    }
  }
  EMLKIT_ASSIGN_OR_RETURN(std::string src, SourceDir());
  EMLKIT_ASSIGN_OR_RETURN(std::string plugin, PluginPath());
  EMLKIT_ASSIGN_OR_RETURN(tflite::Runner runner, tflite::Runner::Open(o.model));
  EMLKIT_ASSIGN_OR_RETURN(tflite::ModelSummary summary, tflite::SummarizeModelFile(o.model));
  std::vector<std::string> names;
  EMLKIT_ASSIGN_OR_RETURN(std::vector<NpyArray> inputs, LoadInputs(o, runner, &names));
  int64_t records = inputs.empty() ? 0 : inputs[0].records();
  if (o.records >= 0) records = std::min(records, o.records);
  if (records <= 0) {
    return Status::InvalidArgument(fmt::format("--data {}: no records to replay", o.data));
  }

  // Inputs exactly as the host quantizes them, and the host's outputs.
  std::vector<uint8_t> in_bytes, host_out;
  std::vector<size_t> out_sizes;
  for (int i = 0; i < runner.num_outputs(); ++i) out_sizes.push_back(runner.output(i).bytes);
  for (int64_t r = 0; r < records; ++r) {
    for (int i = 0; i < runner.num_inputs(); ++i) {
      if (Status st = SetRecord(runner, i, inputs[i], r, names[i]); !st.ok()) {
        return Status::InvalidArgument(fmt::format("--data {}: {}", names[i], st.message()));
      }
      std::span<const uint8_t> b = runner.TensorBytes(runner.input(i).index);
      in_bytes.insert(in_bytes.end(), b.begin(), b.end());
    }
    EMLKIT_RETURN_IF_ERROR(runner.ResetState());
    EMLKIT_RETURN_IF_ERROR(runner.Invoke());
    for (int i = 0; i < runner.num_outputs(); ++i) {
      std::span<const uint8_t> b = runner.OutputBytes(i);
      host_out.insert(host_out.end(), b.begin(), b.end());
    }
  }

  SimReport rep;
  rep.target = t->name;
  rep.board = t->board;
  rep.model = o.model;
  rep.records = records;
  rep.host_arena_bytes = runner.arena_bytes();
  rep.macs = summary.macs;

  EMLKIT_ASSIGN_OR_RETURN(RuntimeBuild rt, BuildRuntime(*t, src));
  rep.runtime_cached = !rt.built;
  ScratchDir work("emlkit-sim");
  std::vector<int32_t> codes;
  for (int k = 0; k < runner.num_ops(); ++k) codes.push_back(runner.op_code(k));
  EMLKIT_ASSIGN_OR_RETURN(std::vector<uint8_t> model_bytes, ReadFileBytes(o.model));
  // The replay arena is generous: the target's kernels (e.g. arm_dsp) may plan scratch buffers the
  // host's do not; the harness reports what Init used, and the minimal image gets exactly that.
  const size_t replay_arena = 2 * runner.arena_bytes() + 64 * 1024;
  const std::string model_name = fs::path(o.model).filename().string();
  Firmware fw;
  size_t aot_arena = 0;
  rep.aot = o.aot;
  if (o.aot) {
    EMLKIT_ASSIGN_OR_RETURN(
        fw, BuildAotFirmware(*t, src, rt, model_bytes, model_name, work.path(), &aot_arena));
  } else {
    EMLKIT_ASSIGN_OR_RETURN(fw, BuildReplayFirmware(*t, src, rt, model_bytes, codes, replay_arena,
                                                    model_name, work.path()));
  }

  EMLKIT_RETURN_IF_ERROR(WriteFileAtomic(work.Path("in.bin"), in_bytes.data(), in_bytes.size()));
  std::vector<std::string> harness_args = {"in.bin", "out.bin", std::to_string(records)};
  if (o.per_op && !o.aot) harness_args.push_back("--hook");  // generated code has no hook
  if (o.flip_record >= 0) {
    harness_args.push_back("--flip-byte");
    harness_args.push_back(std::to_string(o.flip_record));
  }
  if (o.fault_record >= 0) {
    harness_args.push_back("--fault-at");
    harness_args.push_back(std::to_string(o.fault_record));
  }
  if (o.hang_record >= 0) {
    harness_args.push_back("--hang-at");
    harness_args.push_back(std::to_string(o.hang_record));
  }
  std::string marks;
  for (uint64_t a : fw.markers) marks += fmt::format("{}{:x}", marks.empty() ? "" : ":", a);
  const std::string plugin_arg = plugin + ",out=icount.log,marks=" + marks;
  std::vector<std::string> cmd = {t->emulator};
  if (t->family == TargetFamily::kAarch64Linux) {
    cmd.insert(cmd.end(), {"-plugin", plugin_arg, fw.replay_elf});
    cmd.insert(cmd.end(), harness_args.begin(), harness_args.end());
  } else {
    cmd.insert(cmd.end(), t->machine.begin(), t->machine.end());
    std::string semi = "enable=on,target=native,arg=replay";
    for (const std::string& a : harness_args) semi += ",arg=" + a;
    cmd.insert(cmd.end(),
               {"-nographic", "-monitor", "none", "-serial", "none", "-semihosting-config", semi,
                "-plugin", plugin_arg, "-kernel", fw.replay_elf});
  }
  const double timeout = o.timeout_s > 0
                             ? o.timeout_s
                             : 20.0 + static_cast<double>(records) *
                                          (0.002 + 2e-6 * static_cast<double>(summary.macs));
  EMLKIT_ASSIGN_OR_RETURN(ProcessResult p, RunProcess(cmd, work.path(), timeout));
  rep.emulator_seconds = p.seconds;
  std::string log_text;
  if (auto l = ReadFileText(work.Path("icount.log")); l.ok()) log_text = *l;
  EMLKIT_ASSIGN_OR_RETURN(PluginLog log, ParsePluginLog(log_text, "icount.log"));
  EMLKIT_ASSIGN_OR_RETURN(Counts counts, AttributeCounts(log, runner.num_ops()));

  const std::string where = fmt::format("{} on {}", o.model, t->name);
  const std::string at = counts.in_init || !counts.init
                             ? std::string("during Init")
                             : fmt::format("at record {}", counts.records_done);
  if (p.timed_out) {
    return Status::Failed(
        fmt::format("{}: the firmware did not finish within {:.0f} s {} (hung; {} records done)",
                    where, timeout, at, counts.records_done));
  }
  if (p.exit_code != EMLKIT_EXIT_OK) {
    std::string line = HarnessLine(p);
    switch (p.exit_code) {
      case EMLKIT_EXIT_FAULT:
        return Status::Failed(
            fmt::format("{}: the firmware faulted {} (fault handler exit)", where, at));
      case EMLKIT_EXIT_INIT_FAILED:
        return Status::Failed(fmt::format("{}: Init failed on the device: {}", where, line));
      case EMLKIT_EXIT_INVOKE_FAILED:
        return Status::Failed(fmt::format("{}: Invoke failed on the device: {}", where, line));
      case EMLKIT_EXIT_HARNESS:
        return Status::Failed(fmt::format("{}: the replay harness failed: {}", where, line));
      default:
        return Status::Failed(fmt::format("{}: the emulator exited with {}{} {}: {}{}", where,
                                          p.signal != 0 ? "signal " : "code ",
                                          p.signal != 0 ? p.signal : p.exit_code, at,
                                          p.err.substr(0, 2000), p.out.substr(0, 500)));
    }
  }
  const int64_t device_arena = StatValue(p.out + p.err, "arena");
  if (device_arena <= 0 && !(o.aot && device_arena == 0)) {
    return Status::Internal(
        fmt::format("{}: the harness reported no arena size: {}", where, p.out + p.err));
  }
  rep.arena_bytes = static_cast<size_t>(device_arena);
  if (!o.aot) {
    EMLKIT_RETURN_IF_ERROR(BuildMinimalImage(*t, src, rt, rep.arena_bytes, work.path(), &fw));
  }
  rep.image = fw.image;
  if (counts.per_record.size() != static_cast<size_t>(records) || !counts.init) {
    return Status::Internal(fmt::format("{}: the plugin logged {} Invokes for {} records", where,
                                        counts.per_record.size(), records));
  }

  EMLKIT_ASSIGN_OR_RETURN(std::vector<uint8_t> dev_out, ReadFileBytes(work.Path("out.bin")));
  if (dev_out.size() != host_out.size()) {
    return Status::Failed(fmt::format("{}: the firmware wrote {} output bytes, expected {}", where,
                                      dev_out.size(), host_out.size()));
  }
  size_t per_record = 0;
  for (size_t s : out_sizes) per_record += s;
  for (size_t k = 0; k < dev_out.size(); ++k) {
    if (dev_out[k] == host_out[k]) continue;
    ++rep.mismatch_count;
    if (rep.mismatches.size() < kMaxMismatches) {
      Mismatch m;
      m.record = static_cast<int64_t>(k / per_record);
      size_t off = k % per_record;
      while (off >= out_sizes[m.output]) off -= out_sizes[m.output++];
      m.byte = static_cast<int64_t>(off);
      m.device = dev_out[k];
      m.host = host_out[k];
      rep.mismatches.push_back(m);
    }
  }
  rep.bit_exact = rep.mismatch_count == 0;
  // For float outputs, how far apart (in ulps) device and host are: tells a last-bit libm
  // difference from a broken kernel.
  auto ordered = [](const uint8_t* p) {
    int32_t i;
    std::memcpy(&i, p, 4);
    return i < 0 ? static_cast<int64_t>(INT32_MIN) - i : static_cast<int64_t>(i);
  };
  for (int64_t r = 0; r < records; ++r) {
    size_t base = static_cast<size_t>(r) * per_record;
    for (int i = 0; i < runner.num_outputs(); ++i) {
      if (runner.output(i).host_type && runner.output(i).dtype == DType::kFloat32) {
        rep.max_float_ulp = std::max<int64_t>(rep.max_float_ulp, 0);
        for (size_t k = 0; k + 4 <= out_sizes[i]; k += 4) {
          int64_t d = ordered(&dev_out[base + k]) - ordered(&host_out[base + k]);
          rep.max_float_ulp = std::max(rep.max_float_ulp, d < 0 ? -d : d);
        }
      }
      base += out_sizes[i];
    }
  }

  rep.init_instructions = *counts.init;
  rep.min_instructions = *std::min_element(counts.per_record.begin(), counts.per_record.end());
  rep.max_instructions = *std::max_element(counts.per_record.begin(), counts.per_record.end());
  double sum = 0;
  for (uint64_t c : counts.per_record) sum += static_cast<double>(c);
  rep.mean_instructions = sum / static_cast<double>(counts.per_record.size());
  uint64_t op_total = 0;
  for (uint64_t c : counts.per_op) op_total += c;
  for (size_t k = 0; k < counts.per_op.size(); ++k) {
    rep.ops.push_back(
        {static_cast<int32_t>(k), runner.op_name(static_cast<int32_t>(k)), counts.per_op[k],
         op_total == 0 ? 0.0
                       : static_cast<double>(counts.per_op[k]) / static_cast<double>(op_total)});
  }
  if (t->family != TargetFamily::kAarch64Linux) {
    // Semihosting console output reaches QEMU's stdout or stderr depending on the machine.
    const std::string both = p.out + p.err;
    rep.stack_bytes = std::max(StatValue(both, "init_stack"), StatValue(both, "invoke_stack"));
  }
  rep.ram_bytes = rep.image.data + rep.image.bss + std::max<int64_t>(0, rep.stack_bytes);
  return rep;
}

nlohmann::json ReportJson(const SimReport& r) {
  nlohmann::json mism = nlohmann::json::array();
  for (const Mismatch& m : r.mismatches) {
    mism.push_back({{"record", m.record},
                    {"output", m.output},
                    {"byte", m.byte},
                    {"device", m.device},
                    {"host", m.host}});
  }
  nlohmann::json ops = nlohmann::json::array();
  for (const OpCount& c : r.ops) {
    ops.push_back(
        {{"op", c.op}, {"name", c.name}, {"instructions", c.instructions}, {"share", c.share}});
  }
  return {
      {"target", r.target},
      {"board", r.board},
      {"model", r.model},
      {"format", r.aot ? "aot" : "interpreter"},
      {"records", r.records},
      {"bit_exact", r.bit_exact},
      {"mismatch_bytes", r.mismatch_count},
      {"mismatches", mism},
      {"max_float_ulp", r.max_float_ulp >= 0 ? nlohmann::json(r.max_float_ulp) : nlohmann::json()},
      {"flash_bytes", r.image.flash},
      {"image",
       {{"text", r.image.text},
        {"rodata", r.image.rodata},
        {"data", r.image.data},
        {"bss", r.image.bss},
        {"runtime_flash", r.image.runtime_flash},
        {"model_flash", r.image.model_flash}}},
      {"ram_bytes", r.ram_bytes},
      {"stack_bytes", r.stack_bytes >= 0 ? nlohmann::json(r.stack_bytes) : nlohmann::json()},
      {"arena_bytes", r.arena_bytes},
      {"host_arena_bytes", r.host_arena_bytes},
      {"macs", r.macs},
      {"init_instructions", r.init_instructions},
      {"instructions_per_inference",
       {{"min", r.min_instructions}, {"mean", r.mean_instructions}, {"max", r.max_instructions}}},
      {"ops", ops},
      {"counts", "instructions (QEMU has no timing model: not cycles)"},
  };
}

std::string ReportText(const SimReport& r) {
  std::string s = fmt::format("emlkit sim: {} on {} ({}){}\n", r.model, r.target, r.board,
                              r.aot ? ", ahead-of-time generated code" : "");
  if (r.bit_exact) {
    s += fmt::format("  records       {}, every output bit-exact with the host runtime\n",
                     r.records);
  } else {
    s += fmt::format("  records       {}, {} output bytes DIFFER from the host runtime:\n",
                     r.records, r.mismatch_count);
    for (const Mismatch& m : r.mismatches) {
      s += fmt::format("    record {} output {} byte {}: device {} host {}\n", m.record, m.output,
                       m.byte, m.device, m.host);
    }
    if (r.max_float_ulp >= 0) {
      s += fmt::format("    float outputs differ by at most {} ulp\n", r.max_float_ulp);
    }
  }
  s += fmt::format(
      "  Invoke        {:.0f} instructions mean (min {}, max {}); {:.1f} per MAC ({} MACs)\n",
      r.mean_instructions, r.min_instructions, r.max_instructions,
      r.macs > 0 ? r.mean_instructions / static_cast<double>(r.macs) : 0.0, r.macs);
  s += fmt::format("  Init          {} instructions\n", r.init_instructions);
  s += fmt::format("  flash         {} B (runtime {} B, model {} B, startup and libc the rest)\n",
                   r.image.flash, r.image.runtime_flash, r.image.model_flash);
  if (r.arena_bytes != r.host_arena_bytes) {
    s += fmt::format("  arena         {} B on the device, {} B on the host (other kernels)\n",
                     r.arena_bytes, r.host_arena_bytes);
  }
  s += fmt::format("  RAM           {} B (.data {} B + .bss {} B incl. arena {} B + stack {})\n",
                   r.ram_bytes, r.image.data, r.image.bss, r.arena_bytes,
                   r.stack_bytes >= 0 ? fmt::format("{} B measured", r.stack_bytes)
                                      : std::string("not measured"));
  if (!r.ops.empty()) {
    s += "  per operator (one more Invoke of record 0 with the op hook)\n";
    s += fmt::format("    {:>4}  {:<20} {:>12} {:>7}\n", "op", "name", "instructions", "share");
    for (const OpCount& c : r.ops) {
      s += fmt::format("    {:>4}  {:<20} {:>12} {:>6.1f}%\n", c.op, c.name, c.instructions,
                       100.0 * c.share);
    }
  }
  s += "  (QEMU has no timing model: these are instruction counts, not cycles)\n";
  return s;
}

}  // namespace emlkit::sim
