#include "sim/firmware.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "common/fs.h"
#include "common/sha256.h"
#include "emlkit/op_list.h"
#include "export/aot.h"
#include "sim/process.h"

#ifndef EMLKIT_SOURCE_DIR
#define EMLKIT_SOURCE_DIR ""
#endif

namespace fs = std::filesystem;

namespace emlkit::sim {
namespace {

constexpr int kJobs = 2;

struct OpEntry {
  const char* name;
  int32_t code;
  int32_t max_version;
};
constexpr OpEntry kSupportedOps[] = {
#define EMLKIT_SIM_OP_(name, code, max_version) {#name, code, max_version},
    EMLKIT_SUPPORTED_OPS(EMLKIT_SIM_OP_)
#undef EMLKIT_SIM_OP_
};

bool IsSource(const fs::path& p) {
  std::string n = p.filename().string();
  if (p.extension() != ".cc") return false;
  for (const char* suffix : {"_test.cc", "_fuzz.cc", "_bench.cc"}) {
    if (n.size() > std::strlen(suffix) && n.ends_with(suffix)) return false;
  }
  return true;
}

std::vector<std::string> ListSources(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_regular_file() && IsSource(e.path())) out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string FamilyDir(const TargetSpec& t) {
  switch (t.family) {
    case TargetFamily::kCortexM:
      return "targets/emulated/cortex-m";
    case TargetFamily::kRv32:
      return "targets/emulated/rv32";
    case TargetFamily::kAarch64Linux:
      return "";
  }
  return "";
}

std::vector<std::string> Concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::vector<std::string> Launcher() {
  const char* off = std::getenv("EMLKIT_SIM_NO_CCACHE");
  if ((off == nullptr || *off == '\0') && ProgramOnPath("ccache")) return {"ccache"};
  return {};
}

std::vector<std::string> CommonFlags(const TargetSpec& t) {
  std::vector<std::string> f = Concat(t.arch_flags, t.libc_flags);
  // -ffp-contract=off: no fused multiply-add, so float sums round as on the host (x86-64 has no
  // FMA in its baseline) and as TFLM's reference kernels.
  for (const char* s :
       {"-Os", "-ffunction-sections", "-fdata-sections", "-ffp-contract=off", "-Wall"}) {
    f.push_back(s);
  }
  return f;
}

std::vector<std::string> CxxFlags(const TargetSpec& t, const std::string& src) {
  std::vector<std::string> f = CommonFlags(t);
  for (const char* s : {"-std=c++17", "-fno-exceptions", "-fno-rtti", "-fno-threadsafe-statics",
                        "-fno-use-cxa-atexit"}) {
    f.push_back(s);
  }
  f.push_back("-I" + src + "/runtime/include");
  f.push_back("-I" + src + "/runtime");
  f.push_back("-I" + src + "/targets");
  // No libstdc++ headers for riscv64-unknown-elf in Debian: our own minimal <cstdint>, <cmath>...
  if (t.family == TargetFamily::kRv32)
    f.push_back("-isystem" + src + "/targets/emulated/rv32/include");
  return f;
}

std::string ObjectName(const std::string& rel) {
  std::string s = rel;
  std::replace(s.begin(), s.end(), '/', '_');
  return s + ".o";
}

// Every file the runtime build depends on, relative to the source tree.
std::vector<std::string> HashedFiles(const std::string& src) {
  std::vector<std::string> out;
  for (const char* root : {"runtime/include", "runtime/src", "runtime/kernels", "targets"}) {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(src + "/" + root, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      if (!it->is_regular_file()) continue;
      std::string ext = it->path().extension().string();
      if (ext != ".cc" && ext != ".h" && ext != ".c" && ext != ".ld" && ext != ".S") continue;
      out.push_back(fs::relative(it->path(), src).string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::string> ToolVersion(const std::string& tool) {
  EMLKIT_ASSIGN_OR_RETURN(ProcessResult p, RunProcess({tool, "--version"}, "", 30));
  return p.out;
}

std::vector<std::string> LinkCommand(const TargetSpec& t, const std::string& src,
                                     const std::string& rt_dir,
                                     const std::vector<std::string>& objs, const std::string& out,
                                     const std::string& map) {
  std::vector<std::string> cmd = Concat({t.cc}, CommonFlags(t));
  if (t.family == TargetFamily::kAarch64Linux) {
    cmd.push_back("-static");
    cmd.push_back("-no-pie");
  } else {
    cmd.push_back("-nostartfiles");
    cmd.push_back("-T");
    cmd.push_back(src + "/" + FamilyDir(t) +
                  (t.family == TargetFamily::kCortexM ? "/cortex-m.ld" : "/rv32.ld"));
    cmd.push_back(rt_dir + "/startup.o");
  }
  cmd.push_back("-Wl,--gc-sections");
  cmd.push_back("-Wl,-Map=" + map);
  cmd.insert(cmd.end(), objs.begin(), objs.end());
  for (const std::string& s :
       {std::string("-Wl,--start-group"), rt_dir + "/libemlkit_rt.a", std::string("-lm"),
        std::string("-Wl,--end-group"), std::string("-o"), out}) {
    cmd.push_back(s);
  }
  return cmd;
}

}  // namespace

Result<std::string> SourceDir() {
  const char* home = std::getenv("EMLKIT_HOME");
  std::string dir = home != nullptr && *home != '\0' ? home : EMLKIT_SOURCE_DIR;
  const char* from = home != nullptr && *home != '\0' ? "$EMLKIT_HOME" : "the build's source tree";
  for (const char* need : {"runtime/include/emlkit/runtime.h", "targets/harness/replay.cc"}) {
    if (dir.empty() || !fs::exists(dir + "/" + need)) {
      return Status::InvalidArgument(fmt::format(
          "emlkit sim needs the device runtime and target sources (runtime/, targets/); {} ({}) "
          "has no {}: set EMLKIT_HOME to an emlkit source tree",
          from, dir.empty() ? "unset" : dir, need));
    }
  }
  return dir;
}

std::string CacheRoot() {
  if (const char* c = std::getenv("EMLKIT_SIM_CACHE"); c != nullptr && *c != '\0') return c;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x != nullptr && *x != '\0') {
    return std::string(x) + "/emlkit/sim";
  }
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr ? home : "/tmp") + "/.cache/emlkit/sim";
}

std::vector<std::string> RuntimeSources(const std::string& source_dir,
                                        const std::string& variants) {
  std::vector<std::string> out;
  for (const std::string& f : ListSources(source_dir + "/runtime/src")) {
    if (f != "registry.cc") out.push_back("runtime/src/" + f);
  }
  for (const std::string& f : ListSources(source_dir + "/runtime/kernels")) {
    out.push_back("runtime/kernels/" + f);
  }
  std::set<std::string> replaced;
  if (!variants.empty()) {
    for (const std::string& f : ListSources(source_dir + "/runtime/kernels/" + variants)) {
      replaced.insert(f);
      out.push_back("runtime/kernels/" + variants + "/" + f);
    }
  }
  for (const std::string& f : ListSources(source_dir + "/runtime/kernels/reference")) {
    if (replaced.count(f) == 0) out.push_back("runtime/kernels/reference/" + f);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string OpsHeader(const std::vector<int32_t>& codes, const std::string& model_name) {
  std::set<int32_t> used(codes.begin(), codes.end());
  std::string s = fmt::format(
      "// Generated by emlkit sim for {}: the operators the model uses, a subset of\n"
      "// EMLKIT_SUPPORTED_OPS (runtime/include/emlkit/op_list.h). Registry.cc includes this file\n"
      "// when EMLKIT_OPS_HEADER names it, so only these kernels are linked.\n"
      "#define EMLKIT_SELECTED_OPS(X)",
      model_name);
  for (const OpEntry& op : kSupportedOps) {
    if (used.count(op.code) == 0) continue;
    s += fmt::format(" \\\n  X({}, {}, {})", op.name, op.code, op.max_version);
  }
  return s + "\n";
}

std::string ModelSource(const std::vector<uint8_t>& model, const std::string& model_name) {
  std::string s = fmt::format(
      "// Generated by emlkit sim from {} ({} bytes): the model as an aligned const array.\n"
      "extern \"C\" {{\nalignas(16) extern const unsigned char emlkit_model_data[{}] = {{",
      model_name, model.size(), model.size());
  s.reserve(s.size() + model.size() * 5 + 256);
  for (size_t i = 0; i < model.size(); ++i) {
    if (i % 24 == 0) s += "\n";
    s += std::to_string(model[i]);
    s += ',';
  }
  s += fmt::format("\n}};\nextern const unsigned int emlkit_model_size = {};\n}}\n", model.size());
  return s;
}

std::string ArenaSource(size_t arena_bytes) {
  const size_t arena = std::max<size_t>(16, (arena_bytes + 15) / 16 * 16);
  return fmt::format(
      "// Generated by emlkit sim: the tensor arena.\n"
      "extern \"C\" {{\nalignas(16) unsigned char emlkit_arena[{}];\n"
      "extern const unsigned int emlkit_arena_size = {};\n}}\n",
      arena, arena);
}

Result<RuntimeBuild> BuildRuntime(const TargetSpec& t, const std::string& src) {
  RuntimeBuild rb;
  rb.compile_flags = CxxFlags(t, src);
  const std::vector<std::string> sources = RuntimeSources(src, t.kernel_variants);
  Sha256 h;
  auto add = [&h](const std::string& s) {
    h.Update(s.data(), s.size());
    h.Update("\n", 1);
  };
  add(t.name);
  for (const std::string& f : rb.compile_flags) add(f);
  EMLKIT_ASSIGN_OR_RETURN(std::string version, ToolVersion(t.cxx));
  add(version);
  for (const std::string& s : sources) add("source " + s);
  for (const std::string& f : HashedFiles(src)) {
    EMLKIT_ASSIGN_OR_RETURN(std::string text, ReadFileText(src + "/" + f));
    add(f);
    add(text);
  }
  const std::string root = CacheRoot() + "/" + t.name;
  rb.dir = root + "/" + h.HexDigest().substr(0, 16);
  std::error_code ec;
  if (fs::exists(rb.dir + "/libemlkit_rt.a")) {
    fs::last_write_time(rb.dir, fs::file_time_type::clock::now(), ec);  // in use: keep it
    return rb;
  }

  fs::create_directories(root, ec);
  if (ec) {
    return Status::IOError(
        fmt::format("cannot create the runtime cache {}: {} (set "
                    "EMLKIT_SIM_CACHE to a writable folder)",
                    root, ec.message()));
  }
  const std::string tmp = fmt::format("{}/.tmp-{}", root, ::getpid());
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp, ec);
  std::vector<std::vector<std::string>> jobs;
  std::vector<std::string> objs;
  const std::vector<std::string> launcher = Launcher();
  for (const std::string& s : sources) {
    objs.push_back(tmp + "/" + ObjectName(s));
    jobs.push_back(Concat(Concat(launcher, {t.cxx}), rb.compile_flags));
    for (const std::string& a :
         {std::string("-c"), src + "/" + s, std::string("-o"), objs.back()}) {
      jobs.back().push_back(a);
    }
  }
  for (const char* h_src : {"replay", "markers", "minimal"}) {
    jobs.push_back(Concat(Concat(launcher, {t.cxx}), rb.compile_flags));
    for (const std::string& a : {std::string("-c"), src + "/targets/harness/" + h_src + ".cc",
                                 std::string("-o"), tmp + "/" + h_src + ".o"}) {
      jobs.back().push_back(a);
    }
  }
  if (t.family != TargetFamily::kAarch64Linux) {
    jobs.push_back(Concat(Concat(launcher, {t.cc}), CommonFlags(t)));
    for (const std::string& a :
         {"-I" + src + "/targets", std::string("-c"), src + "/" + FamilyDir(t) + "/startup.c",
          std::string("-o"), tmp + "/startup.o"}) {
      jobs.back().push_back(a);
    }
  }
  Status st = RunAll(jobs, kJobs);
  if (!st.ok()) {
    fs::remove_all(tmp, ec);
    return Status::Failed(fmt::format("building the runtime for {}: {}", t.name, st.message()));
  }
  std::string ar = t.cc.substr(0, t.cc.size() - 3) + "ar";  // arm-none-eabi-gcc -> ...-ar
  std::vector<std::string> ar_cmd = {ar, "rcs", tmp + "/libemlkit_rt.a"};
  ar_cmd.insert(ar_cmd.end(), objs.begin(), objs.end());
  EMLKIT_ASSIGN_OR_RETURN(ProcessResult p, RunProcess(ar_cmd, "", 120));
  if (p.exit_code != 0) {
    fs::remove_all(tmp, ec);
    return Status::Failed(CommandText(ar_cmd) + " failed:\n" + p.err);
  }
  fs::rename(tmp, rb.dir, ec);
  if (ec) {  // another process finished the same build first: use it
    fs::remove_all(tmp, ec);
    if (!fs::exists(rb.dir + "/libemlkit_rt.a")) {
      return Status::IOError("cannot store the runtime build in " + rb.dir);
    }
    return rb;
  }
  rb.built = true;
  // Builds of other source states not used for a week go (every edit of runtime/ makes one).
  const auto week_ago = fs::file_time_type::clock::now() - std::chrono::hours(24 * 7);
  for (const auto& e : fs::directory_iterator(root, ec)) {
    std::error_code ec2;
    if (e.path() != fs::path(rb.dir) && e.is_directory(ec2) &&
        fs::last_write_time(e.path(), ec2) < week_ago && !ec2) {
      fs::remove_all(e.path(), ec2);
    }
  }
  return rb;
}

ImageSizes ParseSizeOutput(const std::string& size_a) {
  ImageSizes s;
  std::istringstream in(size_a);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string name;
    int64_t size = 0, addr = 0;
    if (!(ls >> name >> size >> addr) || name.empty() || name[0] != '.') continue;
    bool skip = false;
    for (const char* p : {".debug", ".comment", ".ARM.attributes", ".riscv.attributes", ".note",
                          ".stab", ".gnu.warning", ".heap", ".tbss_space", ".stack"}) {
      if (name.rfind(p, 0) == 0) skip = true;
    }
    if (skip) continue;
    if (name == ".bss" || name == ".sbss" || name == ".tbss") {
      s.bss += size;
    } else if (name == ".data" || name == ".tdata" || name == ".sdata") {
      s.data += size;
    } else if (name == ".text" || name == ".init" || name == ".fini" || name == ".plt" ||
               name == ".iplt") {
      s.text += size;
    } else {
      s.rodata += size;  // .rodata, .srodata, exception/unwind tables, init arrays, ...
    }
  }
  s.flash = s.text + s.rodata + s.data;
  return s;
}

void AddMapFigures(const std::string& map_text, ImageSizes* sizes) {
  size_t start = map_text.find("Linker script and memory map");
  if (start == std::string::npos) return;
  std::istringstream in(map_text.substr(start));
  std::string line, pending;
  auto flash_section = [](const std::string& n) {
    for (const char* p : {".text", ".rodata", ".data", ".tdata", ".sdata", ".srodata", ".ARM.ex",
                          ".init_array", ".fini_array"}) {
      if (n.rfind(p, 0) == 0) return true;
    }
    return false;
  };
  while (std::getline(in, line)) {
    if (line.size() < 2 || line[0] != ' ') {
      pending.clear();
      continue;
    }
    std::istringstream ls(line);
    std::vector<std::string> tok;
    for (std::string w; ls >> w;) tok.push_back(w);
    if (tok.empty()) continue;
    std::string name;
    size_t i = 0;
    if (tok[0][0] == '.' || tok[0] == "COMMON") {
      if (tok.size() == 1) {
        pending = tok[0];
        continue;
      }
      name = tok[0];
      i = 1;
    } else if (!pending.empty() && tok[0].rfind("0x", 0) == 0) {
      name = pending;
    } else {
      continue;
    }
    pending.clear();
    if (tok.size() < i + 3 || tok[i].rfind("0x", 0) != 0 || tok[i + 1].rfind("0x", 0) != 0) {
      continue;
    }
    if (!flash_section(name)) continue;
    const int64_t size = std::strtoll(tok[i + 1].c_str(), nullptr, 16);
    std::string file = tok[i + 2];
    for (size_t k = i + 3; k < tok.size(); ++k) file += " " + tok[k];
    if (file.find("libemlkit_rt.a(") != std::string::npos) sizes->runtime_flash += size;
    if (file.ends_with("emlkit_model.o")) sizes->model_flash += size;
  }
}

const std::vector<std::string>& MarkerNames() {
  static const std::vector<std::string> names = {
      "emlkit_mark_init_begin", "emlkit_mark_init_end", "emlkit_mark_invoke_begin",
      "emlkit_mark_invoke_end", "emlkit_mark_op_begin", "emlkit_mark_op_end"};
  return names;
}

Result<std::vector<uint64_t>> ParseMarkerAddresses(const std::string& nm_output) {
  std::map<std::string, uint64_t> found;
  std::istringstream in(nm_output);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string addr, type, name;
    if (!(ls >> addr >> type >> name)) continue;
    found[name] = std::strtoull(addr.c_str(), nullptr, 16) & ~uint64_t{1};
  }
  std::vector<uint64_t> out;
  for (const std::string& n : MarkerNames()) {
    auto it = found.find(n);
    if (it == found.end()) {
      return Status::Internal("the firmware has no marker function " + n + " (nm found none)");
    }
    out.push_back(it->second);
  }
  return out;
}

namespace {

// The marker addresses of fw->replay_elf.
Status ReadMarkers(const TargetSpec& t, Firmware* fw) {
  EMLKIT_ASSIGN_OR_RETURN(ProcessResult nm, RunProcess({t.nm, fw->replay_elf}, "", 60));
  if (nm.exit_code != 0) return Status::Failed(t.nm + " " + fw->replay_elf + " failed: " + nm.err);
  EMLKIT_ASSIGN_OR_RETURN(fw->markers, ParseMarkerAddresses(nm.out));
  return Status::Ok();
}

// fw->image from fw->minimal_elf and its map (work/minimal.map).
Status MeasureImage(const TargetSpec& t, const std::string& work, Firmware* fw) {
  EMLKIT_ASSIGN_OR_RETURN(ProcessResult size, RunProcess({t.size, "-A", fw->minimal_elf}, "", 60));
  if (size.exit_code != 0) return Status::Failed(t.size + " failed: " + size.err);
  fw->image = ParseSizeOutput(size.out);
  EMLKIT_ASSIGN_OR_RETURN(std::string map, ReadFileText(work + "/minimal.map"));
  AddMapFigures(map, &fw->image);
  return Status::Ok();
}

Status CompileArena(const TargetSpec& t, const RuntimeBuild& rt, size_t arena_bytes,
                    const std::string& name, const std::string& work) {
  EMLKIT_RETURN_IF_ERROR(WriteFileAtomic(work + "/" + name + ".cc", ArenaSource(arena_bytes)));
  std::vector<std::string> cmd = Concat({t.cxx}, rt.compile_flags);
  for (const std::string& a : {std::string("-c"), work + "/" + name + ".cc", std::string("-o"),
                               work + "/" + name + ".o"}) {
    cmd.push_back(a);
  }
  return RunAll({cmd}, 1);
}

}  // namespace

Result<Firmware> BuildReplayFirmware(const TargetSpec& t, const std::string& src,
                                     const RuntimeBuild& rt, const std::vector<uint8_t>& model,
                                     const std::vector<int32_t>& op_codes, size_t arena_bytes,
                                     const std::string& model_name, const std::string& work) {
  EMLKIT_RETURN_IF_ERROR(WriteFileAtomic(work + "/emlkit_ops.h", OpsHeader(op_codes, model_name)));
  EMLKIT_RETURN_IF_ERROR(
      WriteFileAtomic(work + "/emlkit_model.cc", ModelSource(model, model_name)));
  std::vector<std::vector<std::string>> jobs;
  const std::vector<std::string> launcher = Launcher();
  jobs.push_back(Concat(Concat(launcher, {t.cxx}), rt.compile_flags));
  for (const std::string& a :
       {std::string("-I") + work, std::string("-DEMLKIT_OPS_HEADER=\"emlkit_ops.h\""),
        std::string("-c"), src + "/runtime/src/registry.cc", std::string("-o"),
        work + "/registry.o"}) {
    jobs.back().push_back(a);
  }
  jobs.push_back(Concat({t.cxx}, rt.compile_flags));
  for (const std::string& a : {std::string("-c"), work + "/emlkit_model.cc", std::string("-o"),
                               work + "/emlkit_model.o"}) {
    jobs.back().push_back(a);
  }
  EMLKIT_RETURN_IF_ERROR(RunAll(jobs, kJobs));
  EMLKIT_RETURN_IF_ERROR(CompileArena(t, rt, arena_bytes, "emlkit_replay_arena", work));

  Firmware fw;
  fw.replay_elf = work + "/replay.elf";
  Status st =
      RunAll({LinkCommand(t, src, rt.dir,
                          {rt.dir + "/replay.o", rt.dir + "/markers.o", work + "/registry.o",
                           work + "/emlkit_model.o", work + "/emlkit_replay_arena.o"},
                          fw.replay_elf, work + "/replay.map")},
             1);
  if (!st.ok()) {
    return Status::Failed(fmt::format("linking the {} firmware: {}", t.name, st.message()));
  }
  EMLKIT_RETURN_IF_ERROR(ReadMarkers(t, &fw));
  return fw;
}

Status BuildMinimalImage(const TargetSpec& t, const std::string& src, const RuntimeBuild& rt,
                         size_t arena_bytes, const std::string& work, Firmware* fw) {
  EMLKIT_RETURN_IF_ERROR(CompileArena(t, rt, arena_bytes, "emlkit_arena", work));
  fw->minimal_elf = work + "/minimal.elf";
  Status st = RunAll({LinkCommand(t, src, rt.dir,
                                  {rt.dir + "/minimal.o", work + "/registry.o",
                                   work + "/emlkit_model.o", work + "/emlkit_arena.o"},
                                  fw->minimal_elf, work + "/minimal.map")},
                     1);
  if (!st.ok()) {
    return Status::Failed(fmt::format("linking the {} image: {}", t.name, st.message()));
  }
  return MeasureImage(t, work, fw);
}

Result<Firmware> BuildAotFirmware(const TargetSpec& t, const std::string& src,
                                  const RuntimeBuild& rt, const std::vector<uint8_t>& model,
                                  const std::string& model_name, const std::string& work,
                                  size_t* arena_bytes) {
  exporter::AotOptions ao;
  ao.name = "emlkit_aot_model";
  ao.model_label = model_name;
  Sha256 sha;
  sha.Update(model.data(), model.size());
  ao.model_sha256 = sha.HexDigest();
  ao.kernels = t.kernel_variants == "arm_dsp" ? exporter::AotKernels::kArmDsp
                                              : exporter::AotKernels::kPortable;
  EMLKIT_ASSIGN_OR_RETURN(exporter::GeneratedSources gen, exporter::GenerateAot(model, ao));
  std::string header;
  for (const exporter::GeneratedFile& f : gen.files) {
    EMLKIT_RETURN_IF_ERROR(WriteFileAtomic(work + "/" + f.path, f.content));
    if (f.path.ends_with(".h")) header = f.content;
  }
  // The harness's table of input and output sizes, from the generated header's constants.
  std::string io =
      "#include \"emlkit_aot_model.h\"\nstatic const unsigned kEmlkitAotInputBytes[] = {";
  for (const char* what : {"INPUT", "OUTPUT"}) {
    const std::string count_macro = fmt::format("EMLKIT_AOT_MODEL_NUM_{}S ", what);
    const size_t at = header.find(count_macro);
    const int count =
        at == std::string::npos ? 0 : std::atoi(header.c_str() + at + count_macro.size());
    if (std::string(what) == "OUTPUT") io += "static const unsigned kEmlkitAotOutputBytes[] = {";
    for (int i = 0; i < count; ++i)
      io += fmt::format("{}EMLKIT_AOT_MODEL_{}{}_BYTES", i ? ", " : "", what, i);
    io += "};\n";
  }
  EMLKIT_RETURN_IF_ERROR(WriteFileAtomic(work + "/emlkit_aot_io.h", io));
  EMLKIT_ASSIGN_OR_RETURN(exporter::AotFigures figures, exporter::MeasureAot(model, model_name));
  *arena_bytes = figures.arena_bytes;

  std::vector<std::vector<std::string>> jobs;
  const std::vector<std::string> launcher = Launcher();
  const std::vector<std::string> aot_flags = {"-I" + work, "-DEMLKIT_HARNESS_AOT"};
  jobs.push_back(Concat(Concat(Concat(launcher, {t.cxx}), rt.compile_flags), aot_flags));
  for (const std::string& a :
       {std::string("-Wextra"), std::string("-Werror"), std::string("-c"),
        work + "/emlkit_aot_model.cc", std::string("-o"), work + "/emlkit_model.o"}) {
    jobs.back().push_back(a);
  }
  for (const char* h : {"replay", "minimal"}) {
    jobs.push_back(Concat(Concat(Concat(launcher, {t.cxx}), rt.compile_flags), aot_flags));
    for (const std::string& a : {std::string("-c"), src + "/targets/harness/" + h + ".cc",
                                 std::string("-o"), work + "/aot_" + h + ".o"}) {
      jobs.back().push_back(a);
    }
  }
  EMLKIT_RETURN_IF_ERROR(RunAll(jobs, kJobs));
  Firmware fw;
  fw.replay_elf = work + "/replay.elf";
  fw.minimal_elf = work + "/minimal.elf";
  Status st = RunAll(
      {LinkCommand(t, src, rt.dir,
                   // The op markers stay (emlkit sim reads all six), though nothing calls them.
                   {work + "/aot_replay.o", rt.dir + "/markers.o", work + "/emlkit_model.o",
                    "-Wl,--undefined=emlkit_mark_op_begin", "-Wl,--undefined=emlkit_mark_op_end"},
                   fw.replay_elf, work + "/replay.map"),
       LinkCommand(t, src, rt.dir, {work + "/aot_minimal.o", work + "/emlkit_model.o"},
                   fw.minimal_elf, work + "/minimal.map")},
      1);
  if (!st.ok()) {
    return Status::Failed(fmt::format("linking the {} AOT firmware: {}", t.name, st.message()));
  }
  EMLKIT_RETURN_IF_ERROR(ReadMarkers(t, &fw));
  EMLKIT_RETURN_IF_ERROR(MeasureImage(t, work, &fw));
  return fw;
}

}  // namespace emlkit::sim
