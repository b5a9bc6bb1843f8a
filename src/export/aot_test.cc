// Conformance of the generated code: it compiles with -Wall -Wextra -Werror (with the runtime
// files it lists, nothing else) and its outputs equal the interpreter's bit for bit.
#include "export/aot.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "common/fs.h"
#include "emlkit/runtime.h"
#include "support/test_util.h"

namespace emlkit::exporter {
namespace {

using testing::RunProgram;
using testing::SharedPath;
using testing::SourceDir;
namespace rt = ::emlkit::rt;

std::vector<uint8_t> ReadBytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

void WriteBytes(const std::string& path, const std::vector<uint8_t>& b) {
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

// Deterministic input bytes: int8 / uint8 anything, float32 values in [-2, 2).
std::vector<uint8_t> MakeInputs(const rt::TensorView& v, int records, uint32_t seed) {
  std::vector<uint8_t> out;
  uint32_t x = seed * 2654435761u + 1;
  auto next = [&x] {
    x = x * 1664525u + 1013904223u;
    return x >> 8;
  };
  for (int r = 0; r < records; ++r) {
    if (v.type == rt::TensorType::kFloat32) {
      for (uint32_t i = 0; i < v.bytes / 4; ++i) {
        const float f = static_cast<float>(next() % 4096) / 1024.0f - 2.0f;
        uint8_t b[4];
        std::memcpy(b, &f, 4);
        out.insert(out.end(), b, b + 4);
      }
    } else {
      for (uint32_t i = 0; i < v.bytes; ++i) out.push_back(static_cast<uint8_t>(next()));
    }
  }
  return out;
}

struct Case {
  std::string name;  // C identifier for the generated code
  std::vector<uint8_t> model;
  std::vector<uint8_t> inputs;  // records x (every input's bytes, in order)
  std::vector<uint8_t> expected;
  int records = 0;
  int num_inputs = 0, num_outputs = 0;
};

// Runs the interpreter over the records without resetting state between them (as firmware does).
void RunInterpreter(Case& c) {
  rt::Interpreter interp;
  std::vector<uint8_t> arena(4 << 20);
  ASSERT_EQ(interp.Init(c.model.data(), c.model.size(), arena.data(), arena.size()),
            rt::Status::kOk);
  const uint8_t* in = c.inputs.data();
  for (int r = 0; r < c.records; ++r) {
    for (int32_t i = 0; i < interp.num_inputs(); ++i) {
      rt::TensorView v;
      ASSERT_EQ(interp.Input(i, &v), rt::Status::kOk);
      std::memcpy(v.data, in, v.bytes);
      in += v.bytes;
    }
    ASSERT_EQ(interp.Invoke(), rt::Status::kOk);
    for (int32_t i = 0; i < interp.num_outputs(); ++i) {
      rt::TensorView v;
      ASSERT_EQ(interp.Output(i, &v), rt::Status::kOk);
      const uint8_t* p = static_cast<const uint8_t*>(v.data);
      c.expected.insert(c.expected.end(), p, p + v.bytes);
    }
  }
}

Case MakeCase(const std::string& name, const std::string& path, int records) {
  Case c;
  c.name = name;
  c.model = ReadBytes(path);
  c.records = records;
  rt::Interpreter interp;
  std::vector<uint8_t> arena(4 << 20);
  EXPECT_EQ(interp.Init(c.model.data(), c.model.size(), arena.data(), arena.size()),
            rt::Status::kOk)
      << path;
  std::vector<std::vector<uint8_t>> per_input;
  for (int32_t i = 0; i < interp.num_inputs(); ++i) {
    rt::TensorView v;
    EXPECT_EQ(interp.Input(i, &v), rt::Status::kOk);
    per_input.push_back(MakeInputs(v, records, static_cast<uint32_t>(i + 7)));
  }
  for (int r = 0; r < records; ++r) {
    for (const auto& in : per_input) {
      const size_t n = in.size() / static_cast<size_t>(records);
      c.inputs.insert(c.inputs.end(), in.begin() + r * n, in.begin() + (r + 1) * n);
    }
  }
  c.num_inputs = interp.num_inputs();
  c.num_outputs = interp.num_outputs();
  RunInterpreter(c);
  return c;
}

std::string Upper(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

// "NAME_INPUT0_BYTES, NAME_INPUT1_BYTES" from the generated header's constants.
std::string IoBytes(const std::string& name, const char* what, int count) {
  std::string s;
  for (int i = 0; i < count; ++i) {
    s += (i ? ", " : "") + Upper(name) + "_" + what + std::to_string(i) + "_BYTES";
  }
  return s;
}

// A host program that replays every case's records through its generated code: argv[1] names
// the case, argv[2] the input file, argv[3] the output file.
std::string Harness(const std::vector<Case>& cases) {
  std::string s = "#include <stdio.h>\n#include <string.h>\n";
  for (const Case& c : cases) s += "#include \"" + c.name + ".h\"\n";
  s += "\nint main(int argc, char** argv) {\n  if (argc != 4) return 3;\n";
  s += "  FILE* in = fopen(argv[2], \"rb\");\n  FILE* out = fopen(argv[3], \"wb\");\n";
  s += "  if (!in || !out) return 4;\n";
  for (const Case& c : cases) {
    const std::string n = c.name;
    s += "  if (strcmp(argv[1], \"" + n + "\") == 0) {\n";
    s += "    " + n + "_init();\n    for (int r = 0; r < " + std::to_string(c.records) +
         "; ++r) {\n";
    s += "      for (int i = 0; i < " + Upper(n) + "_NUM_INPUTS; ++i) {\n";
    s += "        static const unsigned kBytes[] = {" + IoBytes(n, "INPUT", c.num_inputs) + "};\n";
    s += "        if (fread(" + n + "_input(i), 1, kBytes[i], in) != kBytes[i]) return 5;\n";
    s += "      }\n      " + n + "_invoke();\n";
    s += "      for (int i = 0; i < " + Upper(n) + "_NUM_OUTPUTS; ++i) {\n";
    s +=
        "        static const unsigned kBytes[] = {" + IoBytes(n, "OUTPUT", c.num_outputs) + "};\n";
    s += "        fwrite(" + n + "_output(i), 1, kBytes[i], out);\n";
    s += "      }\n    }\n  }\n";
  }
  s += "  fclose(in);\n  fclose(out);\n  return 0;\n}\n";
  return s;
}

// Generates every case into `dir` (each case's files and the union of their runtime files,
// read from the source tree), compiles them with the harness into one program, and checks
// each case's outputs against the interpreter's. `generated` gets each case's NAME.cc.
void GenerateCompileAndCompare(const std::vector<Case>& cases, const std::string& dir,
                               AotKernels kernels = AotKernels::kPortable,
                               std::vector<std::string>* generated = nullptr) {
  std::vector<std::string> sources = {dir + "/harness.cc"};
  std::vector<std::string> runtime_cc;
  for (const Case& c : cases) {
    auto gen = GenerateAot(c.model, {.name = c.name,
                                     .model_label = c.name + ".tflite",
                                     .model_sha256 = "0123",
                                     .kernels = kernels});
    ASSERT_TRUE(gen.ok()) << gen.status().ToString();
    for (const GeneratedFile& f : gen->files) {
      if (generated != nullptr && f.path.ends_with(".cc")) generated->push_back(f.content);
      testing::WriteText(dir + "/" + f.path, f.content);
      if (f.path.ends_with(".cc")) sources.push_back(dir + "/" + f.path);
    }
    for (const std::string& r : gen->runtime_files) {
      ASSERT_TRUE(testing::PathExists(SourceDir() + "/runtime/" + r)) << r;
      if (r.ends_with(".cc") &&
          std::find(runtime_cc.begin(), runtime_cc.end(), r) == runtime_cc.end()) {
        runtime_cc.push_back(r);
      }
    }
  }
  testing::WriteText(dir + "/harness.cc", Harness(cases));
  // The C API headers compile as C99 (firmware written in C includes them).
  std::string c_file;
  for (const Case& c : cases) c_file += "#include \"" + c.name + ".h\"\n";
  testing::WriteText(dir + "/c_api.c", c_file + "int emlkit_aot_c_check(void) { return 0; }\n");
  const testing::CliResult c_build =
      RunProgram("cc", {"-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-I" + dir, "-c",
                        dir + "/c_api.c", "-o", dir + "/c_api.o"});
  ASSERT_EQ(c_build.exit_code, 0) << c_build.err;
  // Only the listed runtime files are compiled; headers come from the tree (the same files).
  for (const std::string& r : runtime_cc) sources.push_back(SourceDir() + "/runtime/" + r);
  std::vector<std::string> args = {"-std=c++11",
                                   "-O1",
                                   "-Wall",
                                   "-Wextra",
                                   "-Werror",
                                   "-fno-exceptions",
                                   "-fno-rtti",
                                   "-I" + SourceDir() + "/runtime",
                                   "-I" + SourceDir() + "/runtime/include",
                                   "-I" + dir};
  args.insert(args.end(), sources.begin(), sources.end());
  args.insert(args.end(), {"-o", dir + "/aot_run", "-lm"});
  const testing::CliResult build = RunProgram("c++", args);
  ASSERT_EQ(build.exit_code, 0) << build.err;
  // clang too, where installed (its warnings differ from gcc's): the generated files only.
  if (RunProgram("clang++", {"--version"}).exit_code == 0) {
    std::vector<std::string> clang = {"-std=c++11",
                                      "-Wall",
                                      "-Wextra",
                                      "-Werror",
                                      "-fsyntax-only",
                                      "-I" + SourceDir() + "/runtime",
                                      "-I" + SourceDir() + "/runtime/include",
                                      "-I" + dir};
    for (const Case& c : cases) clang.push_back(dir + "/" + c.name + ".cc");
    const testing::CliResult r = RunProgram("clang++", clang);
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
  for (const Case& c : cases) {
    WriteBytes(dir + "/" + c.name + ".in", c.inputs);
    const testing::CliResult run = RunProgram(
        dir + "/aot_run", {c.name, dir + "/" + c.name + ".in", dir + "/" + c.name + ".out"});
    ASSERT_EQ(run.exit_code, 0) << c.name << run.err;
    const std::vector<uint8_t> got = ReadBytes(dir + "/" + c.name + ".out");
    ASSERT_EQ(got.size(), c.expected.size()) << c.name;
    size_t diff = 0;
    while (diff < got.size() && got[diff] == c.expected[diff]) ++diff;
    EXPECT_EQ(diff, got.size()) << c.name << ": first differing output byte " << diff;
  }
}

TEST(AotTest, GoldenModelsMatchTheInterpreterBitForBit) {
  const std::string golden = SharedPath("golden");
  if (golden.empty()) GTEST_SKIP() << "../shared/golden is absent (set EMLKIT_SHARED_DIR)";
  // FC + SOFTMAX int8; float FC; SVDF with state + QUANTIZE; CONV + DWCONV + AVGPOOL + RESHAPE.
  const std::vector<std::pair<std::string, int>> models = {{"thermostat_mlp_int8", 200},
                                                           {"hello_world_float", 50},
                                                           {"keyword_scrambled_8bit", 20},
                                                           {"mlperf_kws_ref_model_int8", 2}};
  std::vector<Case> cases;
  for (const auto& [m, records] : models) {
    const std::string path = golden + "/" + m + "/model.tflite";
    if (!testing::PathExists(path)) GTEST_SKIP() << path << " is absent";
    cases.push_back(MakeCase(m, path, records));
  }
  ScratchDir dir("emlkit-aot");
  // EMLKIT_AOT_TEST_KEEP=DIR keeps the generated files there (to read them; the folder must exist).
  const char* keep = std::getenv("EMLKIT_AOT_TEST_KEEP");
  GenerateCompileAndCompare(cases, keep != nullptr && *keep != '\0' ? keep : dir.path());
}

// The Armv7E-M kernels (kernels/arm_dsp, whose dsp.h computes in plain C on the host): the
// thermostat's small FULLY_CONNECTED layers run folded and its 2-class SOFTMAX by table, called
// directly (no Eval selection linked); a float model keeps the selected Eval. Same outputs as the
// interpreter.
TEST(AotTest, ArmDspCodeFoldsSmallLayersAndMatchesTheInterpreter) {
  const std::string golden = SharedPath("golden");
  if (golden.empty()) GTEST_SKIP() << "../shared/golden is absent (set EMLKIT_SHARED_DIR)";
  std::vector<Case> cases;
  for (const auto& [m, records] : std::vector<std::pair<std::string, int>>{
           {"thermostat_mlp_int8", 300}, {"hello_world_float", 20}}) {
    const std::string path = golden + "/" + m + "/model.tflite";
    if (!testing::PathExists(path)) GTEST_SKIP() << path << " is absent";
    cases.push_back(MakeCase(m, path, records));
  }
  ScratchDir dir("emlkit-aot-dsp");
  std::vector<std::string> generated;
  GenerateCompileAndCompare(cases, dir.path(), AotKernels::kArmDsp, &generated);
  ASSERT_EQ(generated.size(), 2u);
  const std::string& thermostat = generated[0];
  size_t folded = 0;
  for (size_t at = 0;
       (at = thermostat.find("rt::FullyConnectedFoldedEval(", at)) != std::string::npos; ++at) {
    ++folded;
  }
  EXPECT_EQ(folded, 3u) << thermostat;
  EXPECT_NE(thermostat.find("rt::EvalSoftmaxInt8Pair("), std::string::npos);
  EXPECT_EQ(thermostat.find("g_fully_connected"), std::string::npos);
  EXPECT_NE(generated[1].find("g_fully_connected"), std::string::npos);
  EXPECT_EQ(generated[1].find("FoldedEval"), std::string::npos);
}

// An operator the runtime does not run: an error naming it (exit 2), and no files.
TEST(AotTest, UnsupportedOperatorIsNamedBeforeAnythingIsGenerated) {
  const std::string path = SharedPath("golden/trained_lstm/model.tflite");
  if (path.empty()) GTEST_SKIP() << "../shared/golden/trained_lstm is absent";
  const std::vector<uint8_t> model = ReadBytes(path);
  auto gen =
      GenerateAot(model, {.name = "lstm", .model_label = "model.tflite", .model_sha256 = ""});
  ASSERT_FALSE(gen.ok());
  EXPECT_EQ(gen.status().ExitCode(), 2);
  EXPECT_NE(gen.status().message().find("LSTM"), std::string::npos) << gen.status().message();
  EXPECT_NE(gen.status().message().find("model.tflite"), std::string::npos);
  EXPECT_FALSE(MeasureAot(model, "model.tflite").ok());
}

TEST(AotTest, BadNameAndCorruptModelAreBadInput) {
  const std::vector<uint8_t> junk(64, 0x5a);
  auto bad_name =
      GenerateAot(junk, {.name = "3x-model", .model_label = "m.tflite", .model_sha256 = ""});
  ASSERT_FALSE(bad_name.ok());
  EXPECT_EQ(bad_name.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad_name.status().message().find("3x-model"), std::string::npos);
  auto corrupt = GenerateAot(junk, {.name = "m", .model_label = "m.tflite", .model_sha256 = ""});
  ASSERT_FALSE(corrupt.ok());
  EXPECT_EQ(corrupt.status().ExitCode(), 2);
  EXPECT_NE(corrupt.status().message().find("m.tflite"), std::string::npos);
}

}  // namespace
}  // namespace emlkit::exporter
