#include "export/packages.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "common/version.h"
#include "export/aot.h"
#include "export/engine_interpreter.h"
#include "export/runtime_files.h"

namespace emlkit::exporter {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The package's files before the build files: where each generated and runtime file goes, and
// which of them are compiled (paths in the package).
struct Layout {
  std::vector<GeneratedFile> files;
  std::vector<std::string> sources;
};

// Arduino compiles every .cpp under src/ with src/ as the only include root, so the runtime's
// include/ folder is flattened into it and compiled files are renamed .cpp (registry.cc stays
// .cc: it is compiled only through NAME_registry.cpp). Other packages keep runtime/ as it is.
Result<Layout> Lay(PackageKind kind, const std::vector<GeneratedSources>& parts) {
  const bool arduino = kind == PackageKind::kArduino;
  Layout out;
  std::set<std::string> runtime;
  auto place = [&](std::string path, std::string content, bool compiled) {
    if (arduino && compiled && EndsWith(path, ".cc"))
      path = path.substr(0, path.size() - 3) + ".cpp";
    if (compiled && (EndsWith(path, ".cc") || EndsWith(path, ".cpp") || EndsWith(path, ".c"))) {
      out.sources.push_back(path);
    }
    out.files.push_back({std::move(path), std::move(content)});
  };
  for (const GeneratedSources& part : parts) {
    for (const GeneratedFile& f : part.files) place("src/" + f.path, f.content, true);
    runtime.insert(part.runtime_files.begin(), part.runtime_files.end());
  }
  for (const std::string& r : runtime) {
    const RuntimeFile* f = FindRuntimeFile(r);
    if (f == nullptr) return Status::Internal("runtime file " + r + " is not embedded in emlkit");
    std::string path = r;
    if (arduino)
      path = "src/" + (path.starts_with("include/") ? path.substr(8) : path);
    else
      path = "runtime/" + path;
    place(path, std::string(f->content), r != kRegistryInclude);
  }
  std::sort(out.sources.begin(), out.sources.end());
  return out;
}

std::string Quoted(const std::vector<std::string>& items, const std::string& indent) {
  std::string s;
  for (const std::string& i : items) s += indent + "\"" + i + "\"\n";
  return s;
}

// --- Examples with the device preprocessing (issue 12) -----------------------------------------
// A part that is NAME_preprocess.{h,cc} (src/export/preprocess_gen.h) makes the examples feed raw
// sensor rows through NAME_push_row() before the model.
bool HasPreprocessing(const ModelInfo& m, const std::vector<GeneratedSources>& parts) {
  for (const GeneratedSources& part : parts) {
    for (const GeneratedFile& f : part.files) {
      if (f.path == m.name + "_preprocess.h") return true;
    }
  }
  return false;
}

}  // namespace

// The C statements that write `features` (a record) into input 0 and run the model, as `ok`.
std::string FeedRecord(const ModelInfo& m, const std::string& indent) {
  if (!m.inputs.empty() && m.inputs[0].type == 9) {  // int8: the generated quantization
    return fmt::format(
        "{0}_quantize(features, (int8_t*){0}_input(0));\n{1}int ok = {0}_invoke() == 0;", m.name,
        indent);
  }
  return fmt::format(
      "int ok = {0}_set_input_float(0, features, {1}_RECORD_SIZE) == 0 && {0}_invoke() == 0;",
      m.name, MacroPrefix(m.name));
}

namespace {

// The cmake/linux example with preprocessing: raw CSV rows on stdin, one line per record.
std::string HostPreprocessExample(const ModelInfo& m) {
  const std::string p = MacroPrefix(m.name);
  return Banner(m, "//") + fmt::format(R"(//
// {0}_example: reads raw sensor rows from stdin, one per line: "t,v1,...,vN" (t in seconds
// since 1970-01-01, local time; then the {1}_NUM_COLUMNS raw columns in {1}_COLUMN_NAMES
// order; "nan" or an empty field for a missing value). Each row goes through {0}_push_row()
// (the training data's preprocessing) and every completed record through the model; it prints
//   row R: best B LABEL
// (R counts input rows from 0). Exit status: 0 ok, 1 the model failed, 2 a bad row.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "{0}.h"
#include "{0}_preprocess.h"

int main(void) {{
  static char line[4096];
  static float raw[{1}_NUM_COLUMNS], features[{1}_RECORD_SIZE];
  int status = {0}_init();
  if (status != 0) {{
    fprintf(stderr, "{0}_init failed with emlkit_status %d\n", status);
    return 1;
  }}
  {0}_reset();
  for (long row = 0; fgets(line, sizeof(line), stdin) != NULL; ++row) {{
    char* s = line;
    char* end = NULL;
    double t = strtod(s, &end);
    if (end == s || *end != ',') {{
      fprintf(stderr, "row %ld: expected t,v1,...,v%d\n", row, {1}_NUM_COLUMNS);
      return 2;
    }}
    for (int i = 0; i < {1}_NUM_COLUMNS; ++i) {{
      s = end + 1;
      raw[i] = strtof(s, &end);
      if (end == s) raw[i] = NAN; /* an empty field: missing */
      const int last = i + 1 == {1}_NUM_COLUMNS;
      if (last ? (*end != '\0' && *end != '\n' && *end != '\r') : *end != ',') {{
        fprintf(stderr, "row %ld: value %d is not a number\n", row, i + 1);
        return 2;
      }}
    }}
    if ({0}_push_row(t, raw, features) == 0) continue; /* the window fills or the row dropped */
    {2}
    if (!ok) {{
      fprintf(stderr, "{0}_invoke failed\n");
      return 1;
    }}
    int best = 0;
    for (int k = 1; k < {0}_output_count(0); ++k) {{
      if ({0}_output_float(0, k) > {0}_output_float(0, best)) best = k;
    }}
    printf("row %ld: best %d %s\n", row, best, {0}_label(best) != NULL ? {0}_label(best) : "");
  }}
  return 0;
}}
)",
                                       m.name, p, FeedRecord(m, "    "));
}

}  // namespace

// The sketches' setup(): the serial port, NAME_init() (reporting a failure), then `more`.
std::string ArduinoSetup(const ModelInfo& m, const std::string& more) {
  return fmt::format(R"(void setup() {{
  Serial.begin(115200);
  int status = {0}_init();
  if (status != 0) {{
    Serial.print(F("{0}_init failed, emlkit_status "));
    Serial.println(status);
  }}
{1}}})",
                     m.name, more);
}

namespace {

// The sketches' statements that print the best class of output 0 (and its label and score).
std::string PrintPrediction(const ModelInfo& m, const std::string& in) {
  return fmt::format(R"({1}int best = 0;
{1}for (int k = 1; k < {0}_output_count(0); ++k) {{
{1}  if ({0}_output_float(0, k) > {0}_output_float(0, best)) best = k;
{1}}}
{1}Serial.print(F("prediction: "));
{1}Serial.print(best);
{1}if ({0}_label(best) != NULL) {{
{1}  Serial.print(' ');
{1}  Serial.print({0}_label(best));
{1}}}
{1}Serial.print(F(" score "));
{1}Serial.println({0}_output_float(0, best), 4);
)",
                     m.name, in);
}

std::string ArduinoPreprocessSketch(const ModelInfo& m) {
  const std::string p = MacroPrefix(m.name);
  return Banner(m, "//") + fmt::format(R"(//
// Reads one raw sensor row ({1}_NUM_COLUMNS columns, {1}_COLUMN_NAMES) once a second, turns it
// into the model's input with {0}_push_row_each() (the training data's preprocessing: filters,
// windows, scaling) and, when a record is complete, runs {0} and prints the prediction on the
// serial port (115200 baud).
#include <{0}.h>
#include <{0}_preprocess.h>

// Replace with your sensors, in the units of the training data (NAN when a reading failed).
float readColumn(int i) {{ return analogRead(A0 + i % NUM_ANALOG_INPUTS); }}
// Seconds since 1970-01-01, local time: replace with a real clock (RTC, NTP) when the model
// uses time features; the uptime is enough for windows and filters.
double now() {{ return millis() / 1000.0; }}

// Called when a record is complete. `features` is the preprocessing's own buffer: the sketch
// keeps no copy (an Uno has 2 KB of RAM).
void onRecord(const float* features, void*) {{
  {2}
  if (!ok) return;
{3}}}

{4}

void loop() {{
  double raw[{1}_NUM_COLUMNS];
  for (int i = 0; i < {1}_NUM_COLUMNS; ++i) raw[i] = readColumn(i);
  {0}_push_row_each(now(), raw, onRecord, NULL);
  delay(1000);
}}
)",
                                       m.name, p, FeedRecord(m, "  "), PrintPrediction(m, "  "),
                                       ArduinoSetup(m, "  " + m.name + "_reset();\n"));
}

std::string PreprocessReadme(const ModelInfo& m) {
  return fmt::format(
      "\n## Preprocessing\n\n`src/{0}_preprocess.h` / `.cc` turn raw sensor rows into the "
      "model's input exactly as the training data was prepared (`{1}_COLUMN_NAMES` lists the "
      "columns); they run the device library in `preprocess/`. Per row: `if ({0}_push_row(t, "
      "raw, features) > 0)` the record `features` is complete: `{0}_quantize(features, "
      "(int8_t*){0}_input(0))` for an int8 model (else `{0}_set_input_float`), then "
      "`{0}_invoke()`. `{0}_reset()` starts a new stream. The example does exactly this.\n",
      m.name, MacroPrefix(m.name));
}
// --- end of examples with preprocessing --------------------------------------------------------

// The command-line example of the cmake and linux packages.
std::string HostExample(const ModelInfo& m) {
  const std::string p = MacroPrefix(m.name);
  return Banner(m, "//") + fmt::format(R"(//
// {0}_example: runs {0} on the input features given on the command line and prints every output
// value (dequantized) and the best class.
//   {0}_example 0.12 -1.5 ...      ({1}_INPUT0_ELEMENTS values, the model's input features)
// Exit status: 0 ok, 1 the model failed, 2 bad arguments.
#include <stdio.h>
#include <stdlib.h>

#include "{0}.h"

int main(int argc, char** argv) {{
  static float features[{1}_INPUT0_ELEMENTS];
  if (argc - 1 != {1}_INPUT0_ELEMENTS) {{
    fprintf(stderr, "usage: %s F1 ... F%d (the model's %d input features)\n", argv[0],
            {1}_INPUT0_ELEMENTS, {1}_INPUT0_ELEMENTS);
    return 2;
  }}
  for (int i = 0; i < {1}_INPUT0_ELEMENTS; ++i) {{
    char* end = NULL;
    features[i] = strtof(argv[i + 1], &end);
    if (end == argv[i + 1] || *end != '\0') {{
      fprintf(stderr, "argument %d ('%s') is not a number\n", i + 1, argv[i + 1]);
      return 2;
    }}
  }}
  int status = {0}_init();
  if (status != 0) {{
    fprintf(stderr, "{0}_init failed with emlkit_status %d\n", status);
    return 1;
  }}
  if ({0}_set_input_float(0, features, {1}_INPUT0_ELEMENTS) != 0 || {0}_invoke() != 0) {{
    fprintf(stderr, "{0}_invoke failed\n");
    return 1;
  }}
  int best = 0;
  printf("output0:");
  for (int k = 0; k < {0}_output_count(0); ++k) {{
    printf(" %.9g", (double){0}_output_float(0, k));
    if ({0}_output_float(0, k) > {0}_output_float(0, best)) best = k;
  }}
  printf("\nbest: %d %s\n", best, {0}_label(best) != NULL ? {0}_label(best) : "");
  return 0;
}}
)",
                                       m.name, p);
}

std::string ArduinoSketch(const ModelInfo& m) {
  const std::string p = MacroPrefix(m.name);
  return Banner(m, "//") + fmt::format(R"(//
// Reads the model's {1}_INPUT0_ELEMENTS input features from sensors once a second, runs {0} and
// prints the prediction on the serial port (115200 baud).
#include <{0}.h>

// Replace with your sensors, scaled exactly as the model's training data was.
float readFeature(int i) {{ return analogRead(A0 + i % NUM_ANALOG_INPUTS) / 1023.0f; }}

{3}

void loop() {{
  static float features[{1}_INPUT0_ELEMENTS];
  for (int i = 0; i < {1}_INPUT0_ELEMENTS; ++i) features[i] = readFeature(i);
  if ({0}_set_input_float(0, features, {1}_INPUT0_ELEMENTS) == 0 && {0}_invoke() == 0) {{
{2}  }}
  delay(1000);
}}
)",
                                       m.name, p, PrintPrediction(m, "    "), ArduinoSetup(m, ""));
}

// How the package runs the model, for its README and library.properties.
std::string EngineText(const std::string& engine) {
  return engine == "aot" ? "ahead-of-time generated code calling the emlkit kernels directly"
                         : "the emlkit interpreter";
}

std::string LibraryProperties(const ModelInfo& m, const std::string& engine) {
  return Banner(m, "#") + fmt::format(
                              "name={0}\n"
                              "version={1}\n"
                              "author=emlkit export\n"
                              "maintainer=emlkit export <nobody@example.com>\n"
                              "sentence=The {0} model ({2}) with the emlkit runtime it needs.\n"
                              "paragraph=Generated by emlkit {1} from {3}: the model run by {5} "
                              "with only its {4} kernels, and an "
                              "example that reads sensors and prints predictions. No other "
                              "library needed.\n"
                              "category=Data Processing\n"
                              "url=https://example.com/{0}\n"
                              "architectures=*\n"
                              "includes={0}.h\n",
                              m.name, kVersion, fmt::join(m.op_names, " "), m.source,
                              std::set<std::string>(m.op_names.begin(), m.op_names.end()).size(),
                              EngineText(engine));
}

std::string CMakeLibrary(const ModelInfo& m, const Layout& l) {
  return Banner(m, "#") + fmt::format(R"(#
# The {0} model as the static library `{0}` (C API in src/{0}.h); see README.md.
# Use it from a project with add_subdirectory(path/to/this/folder {0}) and
# target_link_libraries(app PRIVATE {0}); example/ does exactly that.
cmake_minimum_required(VERSION 3.13)
project({0} LANGUAGES CXX)

add_library({0} STATIC
{1})
target_include_directories({0} PUBLIC src runtime/include PRIVATE runtime)
set_target_properties({0} PROPERTIES CXX_STANDARD 17 CXX_STANDARD_REQUIRED ON CXX_EXTENSIONS OFF)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options({0} PRIVATE -fno-exceptions -fno-rtti -fno-threadsafe-statics)
endif()
if(UNIX)
  target_link_libraries({0} PUBLIC m)
endif()
)",
                                      m.name, Quoted(l.sources, "  "));
}

std::string CMakeExample(const ModelInfo& m) {
  return Banner(m, "#") + fmt::format(R"(#
# A program using the {0} package through add_subdirectory:
#   cmake -S example -B build && cmake --build build && build/{0}_example 0.1 ...
cmake_minimum_required(VERSION 3.13)
project({0}_example LANGUAGES C CXX)

add_subdirectory(.. {0})
add_executable({0}_example main.c)
target_link_libraries({0}_example PRIVATE {0})
)",
                                      m.name);
}

std::string EspIdfComponent(const ModelInfo& m, const Layout& l) {
  return Banner(m, "#") + fmt::format(R"(#
# The {0} model as an ESP-IDF component: copy this folder into your project's components/ and
# call {0}_init() / {0}_invoke() from app_main (see README.md).
idf_component_register(
  SRCS
{1}  INCLUDE_DIRS "src" "runtime/include"
  PRIV_INCLUDE_DIRS "runtime")
target_compile_options(${{COMPONENT_LIB}} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-std=gnu++17>)
)",
                                      m.name, Quoted(l.sources, "    "));
}

std::string LinuxMakefile(const ModelInfo& m, const Layout& l) {
  std::string objs;
  for (const std::string& s : l.sources) objs += " \\\n  build/" + s.substr(0, s.rfind('.')) + ".o";
  return Banner(m, "#") + fmt::format(R"(#
# libbuild/{0}.a (the model and the runtime, C API in src/{0}.h) and build/{0}_example.
#   make                                         native (e.g. on the Raspberry Pi itself)
#   make CXX=aarch64-linux-gnu-g++ CC=aarch64-linux-gnu-gcc AR=aarch64-linux-gnu-ar   cross
CXX ?= g++
CC ?= gcc
AR ?= ar
CXXFLAGS ?= -O2
CFLAGS ?= -O2
FLAGS := -Wall -Wextra -Isrc -Iruntime/include -Iruntime
CXXSTD := -std=c++17 -fno-exceptions -fno-rtti -fno-threadsafe-statics
OBJS :={1}

all: build/{0}_example

build/lib{0}.a: $(OBJS)
	$(AR) rcs $@ $^

build/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) $(CXXSTD) $(FLAGS) -c $< -o $@

build/{0}_example: example/main.c build/lib{0}.a
	$(CC) $(CFLAGS) $(FLAGS) -c example/main.c -o build/main.o
	$(CXX) $(LDFLAGS) build/main.o build/lib{0}.a -lm -o $@

clean:
	rm -rf build

.PHONY: all clean
)",
                                      m.name, objs);
}

std::string Readme(PackageKind kind, const ModelInfo& m, const std::string& engine) {
  size_t arena = m.arena_bytes;
  if (engine == "aot") {
    Result<AotFigures> f = MeasureAot(m.data, m.source);
    if (f.ok()) arena = f->arena_bytes;
  }
  std::string s = fmt::format(
      "# {0}\n\n{1}\nThe model ({2} bytes of .tflite, operators {3}) runs on {5} "
      "with a static arena of {4} bytes. API: `src/{0}.h` (`{0}_init`, `{0}_set_input_float`, "
      "`{0}_invoke`, `{0}_output_float`, `{0}_label`){6}.\n\n",
      m.name, Banner(m, ">"), m.data.size(), fmt::join(m.op_names, ", "), arena, EngineText(engine),
      engine == "aot" ? fmt::format(" over the generated `src/{}_aot.h`", m.name)
                      : "; the C API of the runtime is `emlkit/emlkit_runtime.h`");
  switch (kind) {
    case PackageKind::kArduino:
      s += fmt::format(
          "Arduino library. Copy this folder into your sketchbook's `libraries/` (or use "
          "Sketch > Include Library > Add .ZIP Library), then open File > Examples > {0} > {0}.\n"
          "\n- `library.properties`: the library's name, version and description\n"
          "- `src/{0}.*`, `src/{0}_*`: the generated model code\n"
          "- `src/emlkit/`, `src/src/`, `src/kernels/`: the emlkit runtime, only what this model "
          "needs\n- `examples/{0}/{0}.ino`: reads sensors, prints predictions\n",
          m.name);
      break;
    case PackageKind::kEspIdf:
      s += fmt::format(
          "ESP-IDF component. Copy this folder to `components/{0}` of your project and add `{0}` "
          "to your main component's REQUIRES; then in app_main: `{0}_init();` once, and per "
          "reading `{0}_set_input_float(0, features, {1}_INPUT0_ELEMENTS); {0}_invoke();`.\n\n"
          "- `CMakeLists.txt`: idf_component_register with the sources below\n"
          "- `src/`: the generated model code\n- `runtime/`: the emlkit runtime, only what this "
          "model needs\n",
          m.name, MacroPrefix(m.name));
      break;
    case PackageKind::kCMake:
      s += fmt::format(
          "CMake package: `add_subdirectory(path/to/{0} {0})` and `target_link_libraries(app "
          "PRIVATE {0})`.\n\n- `CMakeLists.txt`: the static library `{0}`\n- `src/`: the "
          "generated model code\n- `runtime/`: the emlkit runtime, only what this model needs\n"
          "- `example/`: a command-line program built through add_subdirectory: `cmake -S "
          "example -B build && cmake --build build && build/{0}_example F1 F2 ...`\n",
          m.name);
      break;
    case PackageKind::kLinux:
      s += fmt::format(
          "Linux (Raspberry Pi class boards): `make` builds `build/lib{0}.a` and "
          "`build/{0}_example`; cross-compile with `make CXX=aarch64-linux-gnu-g++ "
          "CC=aarch64-linux-gnu-gcc AR=aarch64-linux-gnu-ar`.\n\n- `Makefile`\n- `src/`: the "
          "generated model code (`src/{0}.h` is the header to install)\n- `runtime/`: the emlkit "
          "runtime, only what this model needs\n- `example/main.c`: `{0}_example F1 F2 ...` "
          "prints the outputs and the best class\n",
          m.name);
      break;
  }
  return s;
}

}  // namespace

Result<std::vector<GeneratedFile>> AssemblePackage(PackageKind kind, const ModelInfo& m,
                                                   const std::vector<GeneratedSources>& parts,
                                                   const std::string& engine) {
  EMLKIT_ASSIGN_OR_RETURN(Layout l, Lay(kind, parts));
  std::vector<GeneratedFile> out = std::move(l.files);
  const bool pre = HasPreprocessing(m, parts);
  switch (kind) {
    case PackageKind::kArduino:
      out.push_back({"library.properties", LibraryProperties(m, engine)});
      out.push_back({"examples/" + m.name + "/" + m.name + ".ino",
                     pre ? ArduinoPreprocessSketch(m) : ArduinoSketch(m)});
      break;
    case PackageKind::kEspIdf:
      out.push_back({"CMakeLists.txt", EspIdfComponent(m, l)});
      break;
    case PackageKind::kCMake:
      out.push_back({"CMakeLists.txt", CMakeLibrary(m, l)});
      out.push_back({"example/CMakeLists.txt", CMakeExample(m)});
      out.push_back({"example/main.c", pre ? HostPreprocessExample(m) : HostExample(m)});
      break;
    case PackageKind::kLinux:
      out.push_back({"Makefile", LinuxMakefile(m, l)});
      out.push_back({"example/main.c", pre ? HostPreprocessExample(m) : HostExample(m)});
      break;
  }
  out.push_back({"README.md", Readme(kind, m, engine) + (pre ? PreprocessReadme(m) : "")});
  return out;
}

}  // namespace emlkit::exporter
