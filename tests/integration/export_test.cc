// `emlkit export` end to end: every format for the occupancy int8 model and a golden model, the
// packages built the way their users build them (host gcc/clang, arm-none-eabi, aarch64 under
// qemu-user, CMake add_subdirectory) and their outputs compared with the interpreter's, and the
// errors a user can cause.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "common/fs.h"
#include "data/csv_reader.h"
#include "data/preprocessor.h"
#include "integration/export_support.h"
#include "integration/occupancy_model.h"
#include "support/test_util.h"
#include "tflite/metadata.h"
#include "tflite/model.h"
#include "tflite/runner.h"

namespace fs = std::filesystem;

namespace emlkit::testing {
namespace {

// The interpreter's dequantized outputs (output 0) for `features`.
std::vector<float> InterpreterOutputs(const std::string& model, const std::vector<float>& x) {
  Result<tflite::Runner> r = tflite::Runner::Open(model);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok()) return {};
  EXPECT_TRUE(r->SetInputFloat(0, x).ok());
  EXPECT_TRUE(r->Invoke().ok());
  return r->OutputFloat(0);
}

// Parses the example's "output0: a b c" line.
std::vector<float> ExampleOutputs(const std::string& out) {
  std::vector<float> v;
  size_t p = out.find("output0:");
  if (p == std::string::npos) return v;
  std::istringstream in(out.substr(p + 8, out.find('\n', p) - p - 8));
  float f;
  while (in >> f) v.push_back(f);
  return v;
}

const std::vector<std::vector<float>> kFeatures = {
    {0.5f, 0.1f, 0.2f, 0.3f, 0.4f}, {-1.0f, 2.0f, 0.0f, 1.5f, -0.25f}, {0, 0, 0, 0, 0}};

std::vector<std::string> Args(const std::vector<float>& x) {
  std::vector<std::string> a;
  for (float f : x) a.push_back(fmt::format("{}", f));
  return a;
}

// A C program over the raw AOT API (--format aot): quantizes the features given on the command
// line into input 0 the way NAME_set_input_float does, invokes, prints output 0 dequantized as
// the packages' examples do ("output0: ...").
std::string AotDriver(const std::string& name) {
  std::string p = name;
  for (char& c : p) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return fmt::format(R"(#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "{0}.h"

#if {1}_INPUT0_TYPE == 0
typedef float in_t;
#else
typedef int8_t in_t;
#endif
#if {1}_OUTPUT0_TYPE == 0
typedef float out_t;
#else
typedef int8_t out_t;
#endif

int main(int argc, char** argv) {{
  int i;
  if (argc - 1 != {1}_INPUT0_ELEMENTS) return 2;
  {0}_init();
  in_t* in = (in_t*){0}_input(0);
  for (i = 0; i < {1}_INPUT0_ELEMENTS; ++i) {{
    float v = strtof(argv[i + 1], NULL);
    if ({1}_INPUT0_TYPE == 0) {{
      in[i] = (in_t)v;
    }} else {{
      float q = roundf(v / {1}_INPUT0_SCALE) + (float){1}_INPUT0_ZERO_POINT;
      in[i] = (in_t)(q < -128.0f ? -128.0f : (q > 127.0f ? 127.0f : q));
    }}
  }}
  {0}_invoke();
  const out_t* out = (const out_t*){0}_output(0);
  printf("output0:");
  for (i = 0; i < {1}_OUTPUT0_ELEMENTS; ++i) {{
    float v = (float)out[i];
    if ({1}_OUTPUT0_TYPE != 0) v = {1}_OUTPUT0_SCALE * (v - (float){1}_OUTPUT0_ZERO_POINT);
    printf(" %.9g", (double)v);
  }}
  printf("\n");
  return 0;
}}
)",
                     name, p);
}

// `sources` compile with clang (one front-end pass: its warnings come from the front end) and
// with arm-none-eabi-g++ for the Cortex-M4F as firmware is (-Os: gcc warns at -Os about what -O0
// hides), both with `flags` (-Werror among them); objects go to `base`.
void CompilesWithClangAndArm(const std::vector<std::string>& sources,
                             const std::vector<std::string>& flags, const std::string& base) {
  if (OnPath("clang++")) {
    std::vector<std::string> cmd = {"clang++", "-fsyntax-only"};
    cmd.insert(cmd.end(), flags.begin(), flags.end());
    cmd.insert(cmd.end(), sources.begin(), sources.end());
    CliResult r = RunCommand(cmd);
    EXPECT_EQ(r.exit_code, 0) << r.err;
  } else {
    std::printf("[ SKIPPED  ] clang++ not installed\n");
  }
  if (!OnPath("arm-none-eabi-g++")) {
    std::printf("[ SKIPPED  ] arm-none-eabi-g++ not installed\n");
    return;
  }
  for (const std::string& src : sources) {
    std::vector<std::string> cmd = Cc("arm-none-eabi-g++", base);
    cmd.insert(cmd.end(), flags.begin(), flags.end());
    for (const std::string& a :
         {std::string("-mcpu=cortex-m4"), std::string("-mthumb"), std::string("-mfloat-abi=hard"),
          std::string("-mfpu=fpv4-sp-d16"), std::string("-Os"), std::string("-ffunction-sections"),
          std::string("-fdata-sections"), std::string("-c"), src, std::string("-o"),
          base + "/arm.o"}) {
      cmd.push_back(a);
    }
    CliResult r = RunCommand(cmd);
    EXPECT_EQ(r.exit_code, 0) << src << ":\n" << r.err;
  }
}

// --format aot for `model` into `out` (named `name`): only the generated files, the kernels and
// the device preprocessing when the model records one (no interpreter, no build files); every .cc
// compiles with host g++ -Wall -Wextra -Werror (with just the folder as include root; the driver as
// C), clang++ and arm-none-eabi-g++ -Os; the host program gives the interpreter's outputs for
// kFeatures.
void CheckAotFolder(const std::string& model, const std::string& out, const std::string& name,
                    const std::vector<std::string>& extra = {}) {
  ExportOk(model, "aot", out, name, extra);
  std::vector<std::string> sources;
  for (const std::string& f : FilesUnder(out)) {
    // The device preprocessing joins when the model's metadata records one (occupancy does).
    const bool preprocessing =
        f == name + "_preprocess.h" || f == name + "_preprocess.cc" || f.starts_with("preprocess/");
    EXPECT_TRUE(f == name + ".h" || f == name + ".cc" || f.starts_with("kernels/") ||
                f.starts_with("emlkit/") || f.starts_with("src/") || preprocessing)
        << "unexpected file in --format aot: " << f;
    EXPECT_FALSE(f.starts_with("src/") && f.ends_with(".cc")) << "interpreter file shipped: " << f;
    if (f.ends_with(".cc")) sources.push_back(out + "/" + f);
  }
  EXPECT_TRUE(PathExists(out + "/" + name + ".cc"));
  // C++11: what the Arduino IDE compiles AVR boards with (avr-gcc 5.4).
  const std::vector<std::string> flags = {"-std=c++11",      "-Wall",     "-Wextra", "-Werror",
                                          "-fno-exceptions", "-fno-rtti", "-I" + out};
  WriteText(out + "/../" + name + "_main.c", AotDriver(name));
  std::vector<std::string> objects;
  auto compile = [&](const std::vector<std::string>& cmd_prefix, const std::string& src,
                     const std::vector<std::string>& extra, const std::string& obj) {
    std::vector<std::string> cmd = cmd_prefix;
    cmd.insert(cmd.end(), extra.begin(), extra.end());
    for (const std::string& a : {std::string("-c"), src, std::string("-o"), obj}) cmd.push_back(a);
    CliResult r = RunCommand(cmd);
    EXPECT_EQ(r.exit_code, 0) << src << ":\n" << r.err;
  };
  const std::string base = fs::path(out).parent_path().string();
  compile(Cc("gcc", base), out + "/../" + name + "_main.c",
          {"-std=c99", "-Wall", "-Wextra", "-Werror", "-O2", "-I" + out}, base + "/main.o");
  objects.push_back(base + "/main.o");
  for (size_t k = 0; k < sources.size(); ++k) {
    std::vector<std::string> f = flags;
    f.push_back("-O2");
    objects.push_back(fmt::format("{}/{}_{}.o", base, name, k));
    compile(Cc("g++", base), sources[k], f, objects.back());
  }
  std::vector<std::string> link = {"g++"};
  link.insert(link.end(), objects.begin(), objects.end());
  for (const std::string& a : {std::string("-lm"), std::string("-o"), base + "/" + name + "_aot"})
    link.push_back(a);
  CliResult l = RunCommand(link);
  ASSERT_EQ(l.exit_code, 0) << l.err;
  for (const auto& x : kFeatures) {
    CliResult r = RunProgram(base + "/" + name + "_aot", Args(x));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(ExampleOutputs(r.out), InterpreterOutputs(model, x)) << r.out;
  }
  CompilesWithClangAndArm(sources, flags, base);
}

// MAJOR.MINOR.PATCH, digits only (what library.properties' version must be). No <regex>: gcc 12
// under -fsanitize warns falsely inside it (-Werror=maybe-uninitialized).
bool IsSemver(const std::string& v) {
  int parts = 0;
  size_t i = 0;
  while (i < v.size()) {
    const size_t start = i;
    while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) ++i;
    if (i == start) return false;
    ++parts;
    if (i == v.size()) break;
    if (v[i] != '.') return false;
    ++i;
    if (i == v.size()) return false;
  }
  return parts == 3;
}

// library.properties as key -> value.
std::map<std::string, std::string> Properties(const std::string& path) {
  std::map<std::string, std::string> kv;
  std::istringstream in(ReadText(path));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t eq = line.find('=');
    if (eq != std::string::npos) kv[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return kv;
}

TEST(ExportTest, OccupancyInt8EveryFormat) {
  EMLKIT_REQUIRE_SHARED(occupancy, "data/occupancy");
  const std::string model = OccupancyInt8(occupancy);
  ASSERT_FALSE(model.empty());
  ScratchDir dir("emlkit-export");

  // tflite --strip: smaller, no emlkit metadata, still runs the same.
  const std::string stripped = dir.Path("stripped.tflite");
  CliResult s = RunEmlkit({"export", model, "--format", "tflite", "--strip", "--out", stripped});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  Result<tflite::Model> orig = tflite::ReadModelFile(model);
  Result<tflite::Model> strip = tflite::ReadModelFile(stripped);
  ASSERT_TRUE(orig.ok() && strip.ok());
  EXPECT_TRUE(orig->GetMetadata("emlkit").has_value());
  EXPECT_FALSE(strip->GetMetadata("emlkit").has_value());
  EXPECT_LT(fs::file_size(stripped), fs::file_size(model));
  EXPECT_EQ(strip->operators, orig->operators);
  for (const auto& x : kFeatures) {
    EXPECT_EQ(InterpreterOutputs(stripped, x), InterpreterOutputs(model, x));
  }

  // c-array: the array holds the stripped model byte for byte, aligned.
  ExportOk(model, "c-array", dir.Path("carray"), "occupancy");
  const std::string cc = ReadText(dir.Path("carray/occupancy_model_data.cc"));
  EXPECT_NE(cc.find("alignas(16) const unsigned char occupancy_model_data["), std::string::npos);
  EXPECT_NE(cc.find(fmt::format("occupancy_model_data_size = {}u", fs::file_size(stripped))),
            std::string::npos);
  EXPECT_NE(cc.find("Generated by emlkit"), std::string::npos);
  CliResult keep = RunEmlkit(
      {"export", model, "--format", "c-array", "--keep-metadata", "--out", dir.Path("keep")});
  ASSERT_EQ(keep.exit_code, 0) << keep.err;
  EXPECT_NE(ReadText(dir.Path("keep/int8_model_data.cc"))
                .find(fmt::format("int8_model_data_size = {}u", fs::file_size(model))),
            std::string::npos);

  // Arduino library (interpreter engine): the layout of the library specification 1.5.
  CliResult ino = RunEmlkit({"export", model, "--format", "arduino", "--engine", "interpreter",
                             "--name", "occupancy", "--out", dir.Path("occupancy")});
  ASSERT_EQ(ino.exit_code, 0) << ino.err;
  auto props = Properties(dir.Path("occupancy/library.properties"));
  for (const char* key : {"name", "version", "author", "maintainer", "sentence", "paragraph",
                          "category", "url", "architectures"}) {
    EXPECT_FALSE(props[key].empty()) << "library.properties lacks " << key;
  }
  EXPECT_EQ(props["name"], "occupancy");
  EXPECT_TRUE(IsSemver(props["version"])) << props["version"];
  const std::set<std::string> categories = {
      "Display", "Communication", "Signal Input/Output", "Sensors", "Device Control",
      "Timing",  "Data Storage",  "Data Processing",     "Other"};
  EXPECT_EQ(categories.count(props["category"]), 1u) << props["category"];
  std::vector<std::string> files = FilesUnder(dir.Path("occupancy"));
  for (const std::string& f : files) {
    EXPECT_TRUE(f == "library.properties" || f == "README.md" || f.starts_with("src/") ||
                f == "examples/occupancy/occupancy.ino")
        << "unexpected file in the Arduino library: " << f;
  }
  for (const char* want : {"src/occupancy.h", "src/occupancy.cpp", "src/occupancy_model_data.cpp",
                           "src/emlkit/runtime.h", "src/kernels/reference/fully_connected.cpp",
                           "src/kernels/reference/softmax.cpp"}) {
    EXPECT_TRUE(PathExists(dir.Path("occupancy/") + want)) << want;
  }
  // Exactly the runtime the model needs: no kernel of an operator it does not use.
  EXPECT_FALSE(PathExists(dir.Path("occupancy/src/kernels/conv.cpp")));
  EXPECT_FALSE(PathExists(dir.Path("occupancy/src/kernels/reference/svdf.cpp")));
  // Labels from the metadata reach the generated code.
  Result<std::optional<nlohmann::json>> md = tflite::GetEmlkitMetadata(*orig, model);
  ASSERT_TRUE(md.ok() && md->has_value());
  ASSERT_TRUE((**md)["labels"].is_array());
  const std::string api = ReadText(dir.Path("occupancy/src/occupancy.cpp"));
  for (const auto& label : (**md)["labels"]) {
    EXPECT_NE(api.find("\"" + label.get<std::string>() + "\""), std::string::npos) << label;
  }

  // ESP-IDF component: idf_component_register with every source of the folder.
  ExportOk(model, "espidf", dir.Path("espidf"), "occupancy");
  const std::string cmake = ReadText(dir.Path("espidf/CMakeLists.txt"));
  EXPECT_NE(cmake.find("idf_component_register("), std::string::npos);
  EXPECT_EQ(cmake.find("Kconfig"), std::string::npos);
  EXPECT_FALSE(PathExists(dir.Path("espidf/Kconfig")));
  for (const std::string& f : FilesUnder(dir.Path("espidf"))) {
    if (!f.ends_with(".cc")) continue;
    const bool listed = cmake.find("\"" + f + "\"") != std::string::npos;
    EXPECT_EQ(listed, f != "runtime/src/registry.cc") << f;
  }
  for (const char* fmt : {"cmake", "linux"}) {
    ExportOk(model, fmt, dir.Path(fmt), "occupancy");
    EXPECT_TRUE(PathExists(dir.Path(fmt) + "/src/occupancy.h"));
  }

  // aot: the generated code alone compiles everywhere and gives the interpreter's outputs.
  CheckAotFolder(model, dir.Path("aot"), "occupancy");
  // The Arduino library with the AOT engine (the default): the adapter and the generated code,
  // no interpreter; the same example.
  ExportOk(model, "arduino", dir.Path("arduino-aot"), "occupancy");
  for (const char* want :
       {"src/occupancy.h", "src/occupancy.cpp", "src/occupancy_aot.h", "src/occupancy_aot.cpp",
        "src/kernels/reference/fully_connected.cpp", "examples/occupancy/occupancy.ino"}) {
    EXPECT_TRUE(PathExists(dir.Path("arduino-aot/") + want)) << want;
  }
  for (const char* unwanted : {"src/src/interpreter.cpp", "src/src/registry.cc",
                               "src/occupancy_model_data.cpp", "src/occupancy_ops.h"}) {
    EXPECT_FALSE(PathExists(dir.Path("arduino-aot/") + unwanted)) << unwanted;
  }
  EXPECT_EQ(ReadText(dir.Path("arduino-aot/examples/occupancy/occupancy.ino")),
            ReadText(dir.Path("occupancy/examples/occupancy/occupancy.ino")));
}

// Builds the cmake package's example (dir/pkg/example) into dir/build with host gcc, -Werror,
// through ccache when there is one.
void BuildCMakeExample(const ScratchDir& dir, const std::string& pkg, const std::string& build) {
  std::vector<std::string> configure = {"cmake",
                                        "-S",
                                        dir.Path(pkg + "/example"),
                                        "-B",
                                        dir.Path(build),
                                        "-DCMAKE_BUILD_TYPE=Release",
                                        "-DCMAKE_CXX_FLAGS=-Wall -Wextra -Werror",
                                        "-DCMAKE_C_FLAGS=-Wall -Wextra -Werror"};
  if (OnPath("ccache")) {
    const std::string launcher =
        "env;CCACHE_BASEDIR=" + dir.path() + ";CCACHE_NOHASHDIR=true;ccache";
    configure.push_back("-DCMAKE_CXX_COMPILER_LAUNCHER=" + launcher);
    configure.push_back("-DCMAKE_C_COMPILER_LAUNCHER=" + launcher);
  }
  CliResult c = RunCommand(configure);
  ASSERT_EQ(c.exit_code, 0) << c.out << c.err;
  CliResult b = RunCommand({"cmake", "--build", dir.Path(build), "-j2"});
  ASSERT_EQ(b.exit_code, 0) << b.out << b.err;
}

// The occupancy int8 model has preprocessing metadata: every format ships NAME_preprocess.{h,cc}
// (and runtime/preprocess) unless --no-preprocess; the cmake package's example (host gcc,
// -Werror), fed the raw rows of datatest.txt, predicts what the host Preprocessor + runner do.
TEST(ExportTest, OccupancyPreprocessingShipsAndMatchesHost) {
  EMLKIT_REQUIRE_SHARED(occupancy, "data/occupancy");
  const std::string model = OccupancyInt8(occupancy);
  ASSERT_FALSE(model.empty());
  ScratchDir dir("emlkit-export-pre");
  CliResult e =
      RunEmlkit({"export", model, "--format", "cmake", "--name", "occ", "--out", dir.Path("pkg")});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  EXPECT_NE(e.out.find("preprocessing: occ_preprocess.h"), std::string::npos) << e.out;
  for (const char* f :
       {"pkg/src/occ_preprocess.h", "pkg/src/occ_preprocess.cc",
        "pkg/runtime/preprocess/preprocess.h", "pkg/runtime/preprocess/preprocess.cc"})
    EXPECT_TRUE(PathExists(dir.Path(f))) << f;
  EXPECT_NE(ReadText(dir.Path("pkg/CMakeLists.txt")).find("\"src/occ_preprocess.cc\""),
            std::string::npos);
  ExportOk(model, "c-array", dir.Path("carray"), "occ");
  EXPECT_TRUE(PathExists(dir.Path("carray/occ_preprocess.cc")));
  EXPECT_TRUE(PathExists(dir.Path("carray/runtime/preprocess/preprocess.cc")));
  ExportOk(model, "arduino", dir.Path("ard"), "occ");
  EXPECT_TRUE(PathExists(dir.Path("ard/src/preprocess/preprocess.cpp")));
  EXPECT_NE(ReadText(dir.Path("ard/examples/occ/occ.ino")).find("occ_push_row_each("),
            std::string::npos);
  CliResult no = RunEmlkit({"export", model, "--format", "c-array", "--name", "occ",
                            "--no-preprocess", "--out", dir.Path("nopre")});
  ASSERT_EQ(no.exit_code, 0) << no.err;
  EXPECT_NE(no.out.find("preprocessing: left out"), std::string::npos) << no.out;
  EXPECT_FALSE(PathExists(dir.Path("nopre/occ_preprocess.h")));

  BuildCMakeExample(dir, "pkg", "build");
  if (::testing::Test::HasFatalFailure()) return;

  // Raw rows of the test file, as the example reads them (t, then the columns as floats).
  Result<tflite::Model> parsed = tflite::ReadModelFile(model);
  ASSERT_TRUE(parsed.ok());
  Result<std::optional<nlohmann::json>> md = tflite::GetEmlkitMetadata(*parsed, model);
  ASSERT_TRUE(md.ok() && md->has_value() && (**md).contains("preprocessing"));
  auto pre = data::Preprocessor::FromDatasetJson((**md)["preprocessing"].dump(), model);
  ASSERT_TRUE(pre.ok()) << pre.status().ToString();
  Result<tflite::Runner> runner = tflite::Runner::Open(model);
  ASSERT_TRUE(runner.ok()) << runner.status().ToString();
  auto reader = data::CsvReader::Open(occupancy + "/datatest.txt");
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  const data::CsvSchema& schema = (*reader)->schema();
  std::vector<int> cols;
  for (const char* c : {"Temperature", "Humidity", "Light", "CO2", "HumidityRatio"})
    cols.push_back(schema.Find(c));
  const int tc = schema.Find("date");
  std::string input, expected;
  int64_t rows = 0;
  std::vector<float> rec(static_cast<size_t>(pre->record_size()));
  ASSERT_TRUE((*reader)
                  ->ForEachBatch([&](const data::CsvBatch& b) {
                    for (int64_t r = 0; r < b.rows; ++r, ++rows) {
                      const double t = b.columns[tc].value[r];
                      std::vector<double> raw;
                      input += fmt::format("{}", t);
                      for (int c : cols) {
                        const float v = static_cast<float>(b.columns[c].value[r]);
                        raw.push_back(v);
                        input += fmt::format(",{}", v);
                      }
                      input += "\n";
                      if (!pre->Push(t, raw.data(), rec.data())) continue;
                      EXPECT_TRUE(runner->SetInputFloat(0, rec).ok());
                      EXPECT_TRUE(runner->Invoke().ok());
                      const std::vector<float> out = runner->OutputFloat(0);
                      const size_t best = static_cast<size_t>(
                          std::max_element(out.begin(), out.end()) - out.begin());
                      expected += fmt::format("row {}: best {} ", rows, best);
                      const std::string label = (**md)["labels"].is_array()
                                                    ? (**md)["labels"][best].get<std::string>()
                                                    : "";
                      expected += label + "\n";
                    }
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_GT(rows, 2000);
  CliResult run = RunProgram(dir.Path("build/occ_example"), {}, input);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, expected);
  std::printf("note: %lld raw rows, %zu predictions, all equal to the host's\n",
              static_cast<long long>(rows),
              static_cast<size_t>(std::count(expected.begin(), expected.end(), '\n')));
  CliResult bad = RunProgram(dir.Path("build/occ_example"), {}, "1,2,x,4,5,6\n");
  EXPECT_EQ(bad.exit_code, 2);
}

TEST(ExportTest, GoldenAotFormatCompilesAndMatchesInterpreter) {
  EMLKIT_REQUIRE_SHARED(model, kGolden);
  ScratchDir dir("emlkit-export");
  CheckAotFolder(model, dir.Path("aot"), "thermo");
}

// --kernels arm-dsp: the Cortex-M4/M7 kernels and the export-time tables for them (folded small
// layers, the 2-class softmax table) instead of the portable kernels; the same outputs (host g++
// runs the DSP instructions in plain C; arm-none-eabi-g++ -mcpu=cortex-m4 compiles the real ones).
TEST(ExportTest, ArmDspKernelsShipTheCortexM4CodeWithTheSameOutputs) {
  EMLKIT_REQUIRE_SHARED(model, kGolden);
  ScratchDir dir("emlkit-export");
  CheckAotFolder(model, dir.Path("aot"), "thermo", {"--kernels", "arm-dsp"});
  const std::vector<std::string> files = FilesUnder(dir.Path("aot"));
  auto has = [&](const std::string& f) {
    return std::find(files.begin(), files.end(), f) != files.end();
  };
  EXPECT_TRUE(has("kernels/arm_dsp/fully_connected.cc"));
  EXPECT_FALSE(has("kernels/reference/fully_connected.cc"));
  const std::string code = ReadText(dir.Path("aot/thermo.cc"));
  EXPECT_NE(code.find("FullyConnectedFoldedEval"), std::string::npos);
  EXPECT_NE(code.find("--kernels portable for AVR"), std::string::npos);
}

// Builds `dir`/`pkg`/example with add_subdirectory (host compiler, -Werror) and compares its
// outputs with the interpreter's.
void BuildCMakeExampleAndCompare(const std::string& model, const ScratchDir& dir,
                                 const std::string& pkg) {
  const std::string build = dir.Path("build-" + pkg);
  BuildCMakeExample(dir, pkg, "build-" + pkg);
  if (::testing::Test::HasFatalFailure()) return;
  for (const auto& x : kFeatures) {
    CliResult r = RunProgram(build + "/thermo_example", Args(x));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(ExampleOutputs(r.out), InterpreterOutputs(model, x)) << pkg << ": " << r.out;
  }
  CliResult bad = RunProgram(build + "/thermo_example", {"1", "2"});
  EXPECT_EQ(bad.exit_code, 2);
}

// The package's generated files (src/) compile with clang and arm-none-eabi-g++ -Werror.
void CompileGeneratedWithClangAndArm(const ScratchDir& dir, const std::string& pkg) {
  // clang and arm-none-eabi: the generated files, -Werror (the runtime files are the repository's
  // own, which its builds compile with both: gcc/clang here, scripts/check-runtime-cross for ARM;
  // that the selection is complete is what the host build above checks).
  std::vector<std::string> sources;
  for (const std::string& f : FilesUnder(dir.Path(pkg))) {
    if (f.ends_with(".cc") && f.starts_with("src/")) sources.push_back(dir.Path(pkg + "/") + f);
  }
  const std::vector<std::string> flags = {"-std=c++11",
                                          "-Wall",
                                          "-Wextra",
                                          "-Werror",
                                          "-fno-exceptions",
                                          "-fno-rtti",
                                          "-I" + dir.Path(pkg + "/src"),
                                          "-I" + dir.Path(pkg + "/runtime/include"),
                                          "-I" + dir.Path(pkg + "/runtime")};
  CompilesWithClangAndArm(sources, flags, dir.path());
}

// The cmake package built with add_subdirectory (host gcc, -Werror); its example gives the
// interpreter's outputs. The same sources compile with clang and arm-none-eabi-g++ -Werror.
TEST(ExportTest, GoldenPackageBuildsAndMatchesInterpreter) {
  EMLKIT_REQUIRE_SHARED(model, kGolden);
  ScratchDir dir("emlkit-export");
  for (const char* format : {"c-array", "arduino", "espidf", "linux", "cmake"}) {
    const std::string out = dir.Path(std::string(format) == "cmake" ? "pkg" : format);
    CliResult e = RunEmlkit({"export", model, "--format", format, "--engine", "interpreter",
                             "--name", "thermo", "--out", out});
    ASSERT_EQ(e.exit_code, 0) << e.err;
    if (out.ends_with("pkg")) continue;
    EXPECT_NE(ReadText(dir.Path(format) + (format[0] == 'a'   ? "/src/thermo_model_data.cpp"
                                           : format[0] == 'c' ? "/thermo_model_data.cc"
                                                              : "/src/thermo_model_data.cc"))
                  .find("thermo_model_data_size = 3008u"),
              std::string::npos)
        << format;  // the golden model has no emlkit metadata: it ships unchanged
  }
  // With the AOT engine (the default): the same example (same API), the same outputs.
  ExportOk(model, "cmake", dir.Path("pkg-aot"), "thermo");
  EXPECT_TRUE(PathExists(dir.Path("pkg-aot/src/thermo_aot.cc")));
  EXPECT_EQ(ReadText(dir.Path("pkg-aot/example/main.c")), ReadText(dir.Path("pkg/example/main.c")));
  for (const char* pkg : {"pkg", "pkg-aot"}) {
    BuildCMakeExampleAndCompare(model, dir, pkg);
    CompileGeneratedWithClangAndArm(dir, pkg);
  }
}

TEST(ExportTest, LinuxPackageCrossBuildsForAarch64AndRunsUnderQemu) {
  EMLKIT_REQUIRE_SHARED(model, kGolden);
  for (const char* tool :
       {"aarch64-linux-gnu-g++", "aarch64-linux-gnu-gcc", "qemu-aarch64", "make"}) {
    if (!OnPath(tool)) GTEST_SKIP() << tool << " not installed (scripts/bootstrap installs it)";
  }
  ScratchDir dir("emlkit-export");
  const std::string launcher = OnPath("ccache") ? "ccache " : "";
  for (const char* engine : {"interpreter", "aot"}) {
    const std::string pkg = dir.Path(engine);
    CliResult e = RunEmlkit({"export", model, "--format", "linux", "--engine", engine, "--name",
                             "thermo", "--out", pkg});
    ASSERT_EQ(e.exit_code, 0) << e.err;
    CliResult b = RunCommand({"make", "-C", pkg, "-j2", "CXX=" + launcher + "aarch64-linux-gnu-g++",
                              "CC=" + launcher + "aarch64-linux-gnu-gcc", "AR=aarch64-linux-gnu-ar",
                              "CXXFLAGS=-O2 -Werror", "CFLAGS=-O2 -Werror", "LDFLAGS=-static"});
    ASSERT_EQ(b.exit_code, 0) << b.out << b.err;
    EXPECT_TRUE(PathExists(pkg + "/build/libthermo.a"));
    for (const auto& x : kFeatures) {
      std::vector<std::string> args = {pkg + "/build/thermo_example"};
      for (const std::string& a : Args(x)) args.push_back(a);
      CliResult r = RunProgram("qemu-aarch64", args);
      ASSERT_EQ(r.exit_code, 0) << r.err;
      EXPECT_EQ(ExampleOutputs(r.out), InterpreterOutputs(model, x)) << engine << ": " << r.out;
    }
  }
}

// A model with an operator the runtime has no kernel for: exit 2 naming it, nothing written.
TEST(ExportTest, UnsupportedOperatorExits2BeforeWriting) {
  ScratchDir dir("emlkit-export");
  tflite::Model m;
  int in = m.AddTensor("x", tflite::TensorType::kFloat32, {1, 4});
  int out = m.AddTensor("y", tflite::TensorType::kFloat32, {1, 4});
  tflite::Operator op;
  op.builtin_code = 8;  // FLOOR
  op.inputs = {in};
  op.outputs = {out};
  m.AddOperator(op);
  m.inputs = {in};
  m.outputs = {out};
  ASSERT_TRUE(tflite::WriteModelFile(dir.Path("floor.tflite"), m).ok());
  for (const char* format : {"c-array", "arduino"}) {
    CliResult r = RunEmlkit(
        {"export", dir.Path("floor.tflite"), "--format", format, "--out", dir.Path("out")});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("FLOOR"), std::string::npos) << r.err;
  }
  EXPECT_EQ(FilesUnder(dir.path()), std::vector<std::string>{"floor.tflite"});
}

TEST(ExportTest, BadArgumentsGiveClearErrors) {
  EMLKIT_REQUIRE_SHARED(model, kGolden);
  ScratchDir dir("emlkit-export");
  WriteText(dir.Path("file"), "x");
  WriteText(dir.Path("bad.tflite"), "not a model");
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  const std::vector<Case> cases = {
      {{model, "--format", "zip", "--out", dir.Path("o")}, "c-array, tflite, arduino"},
      {{dir.Path("missing.tflite"), "--format", "c-array", "--out", dir.Path("o")},
       "missing.tflite"},
      {{dir.Path("bad.tflite"), "--format", "c-array", "--out", dir.Path("o")}, "bad.tflite"},
      {{model, "--format", "c-array", "--out", dir.Path("file")}, "not a folder"},
      {{model, "--format", "cmake", "--out", dir.Path("no/such/o")}, "does not exist"},
      {{model, "--format", "c-array", "--name", "9lives", "--out", dir.Path("o")}, "--name"},
      {{model, "--format", "arduino", "--strip", "--out", dir.Path("o")}, "--strip"},
      {{model, "--format", "cmake", "--engine", "jit", "--out", dir.Path("o")}, "interpreter, aot"},
      {{model, "--format", "aot", "--kernels", "neon", "--out", dir.Path("o")},
       "portable, arm-dsp"},
      {{model, "--format", "c-array", "--kernels", "arm-dsp", "--out", dir.Path("o")},
       "--engine aot"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"export"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    CliResult r = RunEmlkit(args);
    EXPECT_EQ(r.exit_code, 2) << fmt::format("{}", fmt::join(c.args, " "));
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
  }
  EXPECT_EQ(FilesUnder(dir.path()), (std::vector<std::string>{"bad.tflite", "file"}));
  // A stale staging folder of a killed run is removed; an existing output is replaced whole.
  fs::create_directories(dir.Path("o.tmp-999999999-0"));
  ExportOk(model, "c-array", dir.Path("o"), "thermo");
  WriteText(dir.Path("o/old.txt"), "x");
  ExportOk(model, "c-array", dir.Path("o"), "thermo");
  EXPECT_FALSE(PathExists(dir.Path("o.tmp-999999999-0")));
  EXPECT_FALSE(PathExists(dir.Path("o/old.txt")));
}

}  // namespace
}  // namespace emlkit::testing
