// The generated device preprocessing against the host: the generated code (several pipelines
// of the real occupancy file) is compiled with the host compiler into one replay program, fed
// every raw row, and its records must be data::Preprocessor's (and so X_train's) bit for bit,
// its int8 bytes TFLite's quantization of them; the same program built for the Cortex-M4F
// (-Werror) and run under QEMU must write the same bytes.
#include "export/preprocess_gen.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/fs.h"
#include "common/npy.h"
#include "data/csv_reader.h"
#include "data/prepare.h"
#include "data/preprocessor.h"
#include "support/test_util.h"

namespace emlkit::exporter {
namespace {

using emlkit::testing::CompileEach;
using emlkit::testing::RunProgram;
using emlkit::testing::SourceDir;
using emlkit::testing::WriteText;

struct Rows {
  std::vector<double> t;
  std::vector<std::vector<double>> raw;
};

Rows ReadRows(const std::string& csv, const std::vector<std::string>& columns) {
  Rows rows;
  auto reader = data::CsvReader::Open(csv);
  EXPECT_TRUE(reader.ok());
  const data::CsvSchema& s = (*reader)->schema();
  std::vector<int> cols;
  for (const std::string& c : columns) cols.push_back(s.Find(c));
  const int tc = s.Find("date");
  EXPECT_TRUE((*reader)
                  ->ForEachBatch([&](const data::CsvBatch& b) {
                    for (int64_t r = 0; r < b.rows; ++r) {
                      rows.t.push_back(b.columns[tc].value[r]);
                      std::vector<double> v;
                      for (int c : cols) v.push_back(b.columns[c].value[r]);
                      rows.raw.push_back(v);
                    }
                    return Status::Ok();
                  })
                  .ok());
  return rows;
}

data::PrepareOptions Occupancy(const std::string& csv, const std::string& out) {
  data::PrepareOptions o;
  o.inputs = {csv};
  o.features = {"Temperature", "Humidity", "Light", "CO2", "HumidityRatio"};
  o.label = "Occupancy";
  o.timestamp = "date";
  o.split.method = "time";
  o.out = out;
  return o;
}

struct Case {
  std::string name;
  data::PrepareOptions options;
  std::optional<InputQuantization> int8;
  std::string dataset_json;
};

// TFLite's AffineQuantize of one value (what the host runner feeds an int8 model).
int8_t Quantize(float v, InputQuantization q) {
  const float r = std::isnan(v) ? 0.0f : std::round(v / q.scale);
  int64_t x = static_cast<int64_t>(std::clamp(r, -2147483648.0f, 2147483520.0f)) + q.zero_point;
  return static_cast<int8_t>(std::clamp<int64_t>(x, -128, 127));
}

std::vector<char> ReadBytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<char>(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

// A replay program for the host and the emulated Cortex-M4 (no C++ library: picolibc has none):
// reads rows (int32 count, int32 columns, then t + values as doubles) and writes each module's
// records (NAME.f32), int8 inputs (NAME.i8) and, from a second stream through the float API,
// the last record of each row (NAME.flt) into the folder argv[2].
std::string ReplayProgram(const std::vector<Case>& cases) {
  std::string s = "#include <cstdint>\n#include <cstdio>\n";
  for (const Case& c : cases) s += "#include \"" + c.name + "_preprocess.h\"\n";
  s += R"(
static double g_rows[9000 * 6];
static float g_out[4096], g_raw[16];
static int8_t g_q[4096];
struct Sink { FILE* f; FILE* q; int n; void (*quantize)(const float*, int8_t*); };
static void Put(const float* r, void* user) {
  Sink* s = static_cast<Sink*>(user);
  fwrite(r, sizeof(float), s->n, s->f);
  if (s->quantize) {
    s->quantize(r, g_q);
    fwrite(g_q, 1, s->n, s->q);
  }
}
static FILE* Open(const char* dir, const char* name, const char* ext) {
  char path[512];
  snprintf(path, sizeof(path), "%s/%s.%s", dir, name, ext);
  return fopen(path, "wb");
}
int main(int argc, char** argv) {
  if (argc != 3) return 2;
  FILE* in = fopen(argv[1], "rb");
  int32_t n = 0, cols = 0;
  if (!in || fread(&n, 4, 1, in) != 1 || fread(&cols, 4, 1, in) != 1) return 3;
  if (n > 9000 || cols != 5) return 4;
  if (fread(g_rows, 8, n * 6, in) != static_cast<size_t>(n * 6)) return 5;
  fclose(in);
)";
  for (const Case& c : cases) {
    std::string upper = c.name;
    for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    const std::string q = c.int8 ? c.name + "_quantize" : "nullptr";
    s += fmt::format(R"(  {{
    Sink s = {{Open(argv[2], "{n}", "f32"), Open(argv[2], "{n}", "i8"), {N}_RECORD_SIZE, {q}}};
    {n}_reset();
    for (int32_t i = 0; i < n; ++i) {n}_push_row_each(g_rows[i * 6], g_rows + i * 6 + 1, Put, &s);
    fclose(s.f);
    fclose(s.q);
    FILE* f = Open(argv[2], "{n}", "flt");
    {n}_reset();
    for (int32_t i = 0; i < n; ++i) {{
      for (int k = 0; k < 5; ++k) g_raw[k] = static_cast<float>(g_rows[i * 6 + 1 + k]);
      if ({n}_push_row(g_rows[i * 6], g_raw, g_out) > 0) fwrite(g_out, 4, {N}_RECORD_SIZE, f);
    }}
    fclose(f);
  }}
)",
                     fmt::arg("n", c.name), fmt::arg("N", upper), fmt::arg("q", q));
  }
  s += "  return 0;\n}\n";
  return s;
}

class ExportPreprocess : public ::testing::Test {
 protected:
  // Generates the cases' code into dir.
  void Generate(std::vector<Case>& cases, const std::string& dir) {
    for (Case& c : cases) {
      nlohmann::json md = {{"preprocessing", nlohmann::json::parse(c.dataset_json)}};
      PreprocessGenOptions o;
      o.name = c.name;
      o.input_int8 = c.int8;
      auto g = GeneratePreprocess(md, o, c.name + ".tflite");
      ASSERT_TRUE(g.ok()) << g.status().ToString();
      ASSERT_EQ(g->files.size(), 2u);
      for (const GeneratedFile& f : g->files) WriteText(dir + "/" + f.path, f.content);
      ASSERT_EQ(g->runtime_files.size(), 2u);
    }
  }
};

TEST_F(ExportPreprocess, GeneratedCodeReplaysOccupancyBitForBit) {
  EMLKIT_REQUIRE_SHARED(csv, "data/occupancy/datatraining.txt");
  ScratchDir dir("ppgen");
  std::vector<Case> cases;
  {
    Case c{"stats", Occupancy(csv, dir.Path("stats_ds")), InputQuantization{0.0473f, -7}, ""};
    data::PrepareOptions& o = c.options;  // window statistics + time features + every filter
    o.time_features = {"tod", "weekend"};
    o.clean.clip = {{"Light", 0, 1000}};
    o.clean.stuck_rows = 200;
    o.clean.stuck = "missing";
    o.clean.missing = "hold";
    o.clean.spikes = "hampel";
    o.clean.hampel_mode = "causal";
    o.window.size = 10;
    o.window.stride = 3;
    o.window.mode = "stats";
    o.window.stats = {"mean", "std", "min", "max", "last", "rms", "slope"};
    cases.push_back(c);
  }
  {
    Case c{"rows", Occupancy(csv, dir.Path("rows_ds")), InputQuantization{0.021f, 5}, ""};
    c.options.time_features = {"tod"};  // a time-features model, one record per row
    c.options.scaling = "minmax";
    cases.push_back(c);
  }
  {
    Case c{"rawwin", Occupancy(csv, dir.Path("raw_ds")), std::nullopt, ""};
    c.options.window.size = 4;
    c.options.window.stride = 2;
    c.options.window.mode = "raw";
    c.options.clean.resample = 45;  // ~60 s rows: some close two grid times
    c.options.clean.spikes = "hampel";
    c.options.clean.hampel_mode = "centered";  // offline only: the causal stand-in runs
    c.options.clean.missing = "hold";
    cases.push_back(c);
  }
  for (Case& c : cases) {
    auto res = data::Prepare(c.options);
    ASSERT_TRUE(res.ok()) << c.name << ": " << res.status().ToString();
    c.dataset_json = res->dataset_json;
  }
  // Generated sources in a fixed folder of the build tree, so ccache knows them next time.
  const std::string gen = std::string(EMLKIT_PREPROCESS_GEN_DIR) + "/replay";
  std::filesystem::create_directories(gen);
  Generate(cases, gen);
  WriteText(gen + "/replay.cc", ReplayProgram(cases));
  // The header is C too (C firmware includes it).
  WriteText(gen + "/c_api.c",
            "#include \"stats_preprocess.h\"\nint f(void) { stats_reset(); return 0; }\n");
  EXPECT_EQ(CompileEach("gcc", {"-std=c99", "-Wall", "-Wextra", "-Werror", "-I" + gen},
                        {gen + "/c_api.c"}, dir.path())
                .size(),
            1u);

  const Rows rows = ReadRows(csv, cases[0].options.features);
  ASSERT_GT(rows.t.size(), 8000u);
  {
    std::ofstream f(dir.Path("rows.bin"), std::ios::binary);
    const int32_t n = static_cast<int32_t>(rows.t.size()), cols = 5;
    f.write(reinterpret_cast<const char*>(&n), 4);
    f.write(reinterpret_cast<const char*>(&cols), 4);
    for (size_t i = 0; i < rows.t.size(); ++i) {
      f.write(reinterpret_cast<const char*>(&rows.t[i]), 8);
      f.write(reinterpret_cast<const char*>(rows.raw[i].data()), 8 * 5);
    }
  }
  std::vector<std::string> srcs = {gen + "/replay.cc",
                                   SourceDir() + "/runtime/preprocess/preprocess.cc"};
  for (const Case& c : cases) srcs.push_back(gen + "/" + c.name + "_preprocess.cc");
  std::vector<std::string> objs =
      CompileEach("g++",
                  {"-std=c++11", "-O1", "-ffp-contract=off", "-Wall", "-Wextra", "-Werror",
                   "-I" + gen, "-I" + SourceDir() + "/runtime"},
                  srcs, dir.path());
  ASSERT_EQ(objs.size(), srcs.size());
  objs.push_back("-o");
  objs.push_back(dir.Path("replay"));
  auto ld = RunProgram("g++", objs);
  ASSERT_EQ(ld.exit_code, 0) << ld.err;
  auto run = RunProgram(dir.Path("replay"), {dir.Path("rows.bin"), dir.path()});
  ASSERT_EQ(run.exit_code, 0) << run.err;

  for (const Case& c : cases) {
    auto pre = data::Preprocessor::FromDatasetJson(c.dataset_json, c.name);
    ASSERT_TRUE(pre.ok()) << pre.status().ToString();
    std::vector<float> host;
    for (size_t i = 0; i < rows.t.size(); ++i) pre->PushAll(rows.t[i], rows.raw[i].data(), &host);
    const std::vector<char> dev = ReadBytes(dir.Path(c.name + ".f32"));
    ASSERT_EQ(dev.size(), host.size() * sizeof(float)) << c.name;
    const size_t per = static_cast<size_t>(pre->record_size());
    for (size_t r = 0; r < host.size() / per; ++r)
      ASSERT_EQ(std::memcmp(dev.data() + r * per * 4, host.data() + r * per, per * 4), 0)
          << c.name << ": record " << r << " differs";
    if (pre->online_exact()) {  // and prepare's own records: the stream starts with X_train
      auto x = ReadNpy(c.options.out + "/X_train.npy");
      ASSERT_TRUE(x.ok());
      ASSERT_GT(x->records(), 500);
      ASSERT_EQ(std::memcmp(dev.data(), x->data<float>(), x->records() * per * 4), 0) << c.name;
    }
    if (c.options.clean.resample == 0) {  // float rows: the host fed the same widened values
      auto fpre = data::Preprocessor::FromDatasetJson(c.dataset_json, c.name);
      ASSERT_TRUE(fpre.ok());
      std::vector<float> fhost, rec(per);
      std::vector<double> raw(5);
      for (size_t i = 0; i < rows.t.size(); ++i) {
        for (size_t k = 0; k < 5; ++k) raw[k] = static_cast<float>(rows.raw[i][k]);
        if (fpre->Push(rows.t[i], raw.data(), rec.data()))
          fhost.insert(fhost.end(), rec.begin(), rec.end());
      }
      const std::vector<char> fdev = ReadBytes(dir.Path(c.name + ".flt"));
      ASSERT_EQ(fdev.size(), fhost.size() * 4) << c.name;
      EXPECT_EQ(std::memcmp(fdev.data(), fhost.data(), fdev.size()), 0) << c.name << " (float API)";
    }
    if (c.int8) {
      const std::vector<char> q = ReadBytes(dir.Path(c.name + ".i8"));
      ASSERT_EQ(q.size(), host.size()) << c.name;
      int64_t saturated = 0;
      for (size_t k = 0; k < host.size(); ++k) {
        ASSERT_EQ(static_cast<int8_t>(q[k]), Quantize(host[k], *c.int8)) << c.name << " " << k;
        saturated += q[k] == 127 || q[k] == -128;
      }
      EXPECT_LT(saturated, static_cast<int64_t>(host.size()));  // not all clamped
    }
  }

  // The same program on the emulated Cortex-M4F (picolibc's libm, double precision in software,
  // float on the FPU), built with -Werror: the same bytes.
  if (RunProgram("sh", {"-c", "command -v arm-none-eabi-g++ && command -v qemu-system-arm"})
          .exit_code != 0) {
    std::printf(
        "note: arm-none-eabi-g++ or qemu-system-arm missing: the Cortex-M4 replay was "
        "not run (scripts/bootstrap --test installs them)\n");
    return;
  }
  const std::string m4 = dir.Path("m4"), src = SourceDir();
  std::filesystem::create_directories(m4);
  const std::vector<std::string> arch = {"-mcpu=cortex-m4",
                                         "-mthumb",
                                         "-mfloat-abi=hard",
                                         "-mfpu=fpv4-sp-d16",
                                         "-Os",
                                         "-ffp-contract=off",
                                         "--specs=picolibc.specs",
                                         "--oslib=semihost"};
  std::vector<std::string> cxx = arch;
  for (const char* f : {"-std=c++11", "-fno-exceptions", "-fno-rtti", "-fno-threadsafe-statics",
                        "-fno-use-cxa-atexit", "-Wall", "-Wextra", "-Werror"})
    cxx.push_back(f);
  cxx.push_back("-I" + gen);
  cxx.push_back("-I" + src + "/runtime");
  std::vector<std::string> link = arch;
  for (const std::string& f : {std::string("-nostartfiles"), std::string("-T"),
                               src + "/targets/emulated/cortex-m/cortex-m.ld"})
    link.push_back(f);
  std::vector<std::string> c = arch;
  c.push_back("-I" + src + "/targets");
  for (const std::string& o :
       CompileEach("arm-none-eabi-gcc", c, {src + "/targets/emulated/cortex-m/startup.c"}, m4))
    link.push_back(o);
  const std::vector<std::string> m4_objs = CompileEach("arm-none-eabi-g++", cxx, srcs, m4);
  ASSERT_EQ(m4_objs.size(), srcs.size());
  link.insert(link.end(), m4_objs.begin(), m4_objs.end());
  for (const std::string& f : {std::string("-lm"), std::string("-o"), m4 + "/replay.elf"})
    link.push_back(f);
  auto m4_ld = RunProgram("arm-none-eabi-gcc", link);
  ASSERT_EQ(m4_ld.exit_code, 0) << m4_ld.err;
  auto m4_run = RunProgram(
      "timeout", {"60", "qemu-system-arm", "-M", "mps2-an386", "-nographic", "-monitor", "none",
                  "-serial", "none", "-semihosting-config",
                  "enable=on,target=native,arg=replay,arg=" + dir.Path("rows.bin") + ",arg=" + m4,
                  "-kernel", m4 + "/replay.elf"});
  ASSERT_EQ(m4_run.exit_code, 0) << m4_run.out << m4_run.err;
  for (const Case& c : cases)
    for (const char* ext : {".f32", ".i8", ".flt"})
      EXPECT_TRUE(ReadBytes(dir.Path(c.name + ext)) == ReadBytes(m4 + "/" + c.name + ext))
          << c.name << ext << ": the Cortex-M4 differs from the host";
}

TEST_F(ExportPreprocess, UnsupportedStepIsNamed) {
  data::PipelineSpec s;
  nlohmann::json ds = {
      {"pipeline",
       {{"columns", {"x"}},
        {"timestamp", "t"},
        {"clean",
         {{"clip", nlohmann::json::object()},
          {"clip_mode", "clamp"},
          {"stuck_rows", 0},
          {"stuck", "report"},
          {"spikes", "none"},
          {"hampel_window", 7},
          {"hampel_threshold", 3},
          {"hampel_mode", "causal"},
          {"hampel_min_scale", {0}},
          {"missing", "hold"},
          {"duplicates", "error"},
          {"order", "error"},
          {"max_gap", 0},
          {"resample", 0},
          {"resample_method", "linear"}}},
        {"time_features", nlohmann::json::array()},
        {"scaling", {{"method", "none"}, {"offset", {0}}, {"scale", {1}}}},
        {"window",
         {{"size", 4}, {"stride", 1}, {"mode", "fft"}, {"stats", {"mean"}}, {"label", "last"}}}}}};
  PreprocessGenOptions o;
  o.name = "m";
  auto g = GeneratePreprocess({{"preprocessing", ds}}, o, "m.tflite");
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.status().message().find("m.tflite"), std::string::npos) << g.status().ToString();
  EXPECT_NE(g.status().message().find("window.mode = fft"), std::string::npos)
      << g.status().ToString();
  ds["pipeline"]["window"]["mode"] = "stats";
  ds["pipeline"]["clean"]["spikes"] = "wavelet";
  g = GeneratePreprocess({{"preprocessing", ds}}, o, "m.tflite");
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.status().message().find("spikes = wavelet"), std::string::npos);
  ds["pipeline"]["clean"]["spikes"] = "none";
  EXPECT_TRUE(GeneratePreprocess({{"preprocessing", ds}}, o, "m.tflite").ok());
  o.name = "9bad-name";
  g = GeneratePreprocess({{"preprocessing", ds}}, o, "m.tflite");
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.status().message().find("C identifier"), std::string::npos);
  o.name = "m";
  g = GeneratePreprocess({{"task", "classification"}}, o, "m.tflite");
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.status().message().find("no 'preprocessing'"), std::string::npos);
}

}  // namespace
}  // namespace emlkit::exporter
