// The generated device preprocessing against the host: the generated code (several pipelines
// of the real occupancy file) is compiled with the host compiler into one replay program, fed
// every raw row, and its records must be data::Preprocessor's (and so X_train's) bit for bit,
// its int8 bytes TFLite's quantization of them. The same code must compile for Cortex-M4F.
#include "export/preprocess_gen.h"

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

// A replay program: reads rows (int32 count, int32 columns, then t + values as doubles) and
// writes each module's records (NAME.f32) and int8 inputs (NAME.i8).
std::string ReplayProgram(const std::vector<Case>& cases) {
  std::string s = "#include <cstdint>\n#include <cstdio>\n#include <string>\n#include <vector>\n";
  for (const Case& c : cases) s += "#include \"" + c.name + "_preprocess.h\"\n";
  s += R"(
struct Sink { FILE* f; FILE* q; int n; void (*quantize)(const float*, int8_t*); };
static void Put(const float* r, void* user) {
  Sink* s = static_cast<Sink*>(user);
  fwrite(r, sizeof(float), s->n, s->f);
  if (s->quantize) {
    std::vector<int8_t> q(s->n);
    s->quantize(r, q.data());
    fwrite(q.data(), 1, s->n, s->q);
  }
}
int main(int argc, char** argv) {
  if (argc != 3) return 2;
  FILE* in = fopen(argv[1], "rb");
  int32_t n = 0, cols = 0;
  if (!in || fread(&n, 4, 1, in) != 1 || fread(&cols, 4, 1, in) != 1) return 3;
  std::vector<double> rows(static_cast<size_t>(n) * (cols + 1));
  if (fread(rows.data(), 8, rows.size(), in) != rows.size()) return 4;
  fclose(in);
  std::string dir = argv[2];
)";
  for (const Case& c : cases) {
    std::string q = c.int8 ? c.name + "_quantize" : "nullptr";
    s += "  {\n    Sink s{fopen((dir + \"/" + c.name +
         ".f32\").c_str(), \"wb\"), fopen((dir + \"/" + c.name + ".i8\").c_str(), \"wb\"), 0, " +
         q + "};\n";
    std::string upper = c.name;
    for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    s += "    s.n = " + upper + "_RECORD_SIZE;\n";
    s += "    " + c.name + "_reset();\n";
    s += "    for (int32_t i = 0; i < n; ++i) {\n      const double* r = "
         "&rows[static_cast<size_t>(i) "
         "* (cols + 1)];\n      " +
         c.name +
         "_push_row_each(r[0], r + 1, Put, &s);\n    }\n    fclose(s.f);\n    "
         "fclose(s.q);\n  }\n";
    // The float API, in a second stream: rows as float, the last record of each row.
    s += "  {\n    FILE* f = fopen((dir + \"/" + c.name + ".flt\").c_str(), \"wb\");\n    " +
         c.name + "_reset();\n    std::vector<float> raw(cols), out(" + upper +
         "_RECORD_SIZE);\n    for (int32_t i = 0; i < n; ++i) {\n      const double* r = "
         "&rows[static_cast<size_t>(i) * (cols + 1)];\n      for (int32_t k = 0; k < cols; ++k) "
         "raw[k] = static_cast<float>(r[1 + k]);\n      if (" +
         c.name +
         "_push_row(r[0], raw.data(), out.data()) > 0) fwrite(out.data(), 4, out.size(), "
         "f);\n    }\n    fclose(f);\n  }\n";
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
                  {"-std=c++17", "-O1", "-ffp-contract=off", "-Wall", "-Wextra", "-Werror",
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
}

// The generated code is freestanding C++17 for the device: Cortex-M4F with -Werror.
TEST_F(ExportPreprocess, GeneratedCodeCompilesForCortexM4) {
  if (RunProgram("arm-none-eabi-g++", {"--version"}).exit_code != 0)
    GTEST_SKIP() << "arm-none-eabi-g++ not installed (scripts/bootstrap installs it)";
  EMLKIT_REQUIRE_SHARED(csv, "data/occupancy/datatraining.txt");
  ScratchDir dir("ppgen_arm");
  Case c{"occ", Occupancy(csv, dir.Path("ds")), InputQuantization{0.05f, 0}, ""};
  c.options.time_features = {"tod", "weekend"};
  c.options.clean.spikes = "hampel";
  c.options.clean.hampel_mode = "causal";
  c.options.clean.clip = {{"Light", 0, 1000}};
  c.options.window.size = 8;
  c.options.window.stride = 2;
  c.options.window.stats = {"mean", "std", "slope"};
  auto res = data::Prepare(c.options);
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  c.dataset_json = res->dataset_json;
  std::vector<Case> cases = {c};
  const std::string gen = std::string(EMLKIT_PREPROCESS_GEN_DIR) + "/arm";
  std::filesystem::create_directories(gen);
  Generate(cases, gen);
  const std::vector<std::string> srcs = {gen + "/occ_preprocess.cc",
                                         SourceDir() + "/runtime/preprocess/preprocess.cc"};
  EXPECT_EQ(CompileEach("arm-none-eabi-g++",
                        {"-std=c++17", "-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard",
                         "-mfpu=fpv4-sp-d16", "-Os", "-fno-exceptions", "-fno-rtti", "-Wall",
                         "-Wextra", "-Werror", "-I" + gen, "-I" + SourceDir() + "/runtime"},
                        srcs, dir.path())
                .size(),
            srcs.size());
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
