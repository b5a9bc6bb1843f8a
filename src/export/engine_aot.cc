#include "export/engine_aot.h"

#include <fmt/format.h>

#include "export/aot.h"
#include "export/engine_interpreter.h"

namespace emlkit::exporter {
namespace {

// NAME.cc's engine part: the inputs' and outputs' types and quantization are constants of the
// generated code (NAME_AOT_INPUT0_TYPE, ...), their buffers NAME_aot_input(i) / _output(i).
ApiEngine AotApi(const ModelInfo& m, const std::string& aot) {
  const std::string p = MacroPrefix(m.name), ap = MacroPrefix(aot);
  ApiEngine e;
  e.description = "ahead-of-time generated code, " + aot + ".h";
  e.include = aot + ".h";
  e.defines = fmt::format("#define {0}_ARENA_BYTES {1}_ARENA_BYTES\n\n", p, ap);
  std::string table;
  for (size_t i = 0; i < m.inputs.size(); ++i) {
    table += fmt::format(
        "    {{{0}_INPUT{1}_TYPE, {0}_INPUT{1}_BYTES,\n"
        "     {0}_INPUT{1}_SCALE, {0}_INPUT{1}_ZERO_POINT}},\n",
        ap, i);
  }
  for (size_t i = 0; i < m.outputs.size(); ++i) {
    table += fmt::format(
        "    {{{0}_OUTPUT{1}_TYPE, {0}_OUTPUT{1}_BYTES,\n"
        "     {0}_OUTPUT{1}_SCALE, {0}_OUTPUT{1}_ZERO_POINT}},\n",
        ap, i);
  }
  e.source_globals = fmt::format(
      "// The inputs, then the outputs: type, bytes, scale, zero point ({0}.h's constants).\n"
      "struct IoConstants {{\n  int32_t type;\n  int bytes;\n  float scale;\n"
      "  int32_t zero_point;\n}};\n"
      "const IoConstants kIo[] = {{\n{1}}};\n\n"
      "// Input (output == false) or output i; 0 or an emlkit_status.\n"
      "int View(bool output, int i, IoView* v) {{\n"
      "  const int n = output ? {2}_NUM_OUTPUTS : {2}_NUM_INPUTS;\n"
      "  if (i < 0 || i >= n) return static_cast<int>(Status::kInvalidArgument);\n"
      "  const IoConstants& c = kIo[output ? {2}_NUM_INPUTS + i : i];\n"
      "  void* data = output ? {0}_output(i) : {0}_input(i);\n"
      "  *v = {{data, c.type, c.bytes, c.scale, c.zero_point}};\n"
      "  return 0;\n}}\n",
      aot, table, ap);
  e.source_functions = fmt::format(
      "int {0}_init(void) {{\n  {1}_init();\n  return 0;\n}}\n\n"
      "int {0}_invoke(void) {{\n  {1}_invoke();\n  return 0;\n}}\n\n"
      "void* {0}_input(int i) {{ return {1}_input(i); }}\n\n"
      "const void* {0}_output(int i) {{ return {1}_output(i); }}\n",
      m.name, aot);
  return e;
}

}  // namespace

Result<GeneratedSources> GenerateAotEngine(const ModelInfo& m) {
  const std::string aot = m.name + "_aot";
  EMLKIT_ASSIGN_OR_RETURN(
      GeneratedSources out,
      GenerateAot(m.data, {.name = aot,
                           .model_label = m.source,
                           .model_sha256 = m.sha256,
                           .kernels = m.arm_dsp ? AotKernels::kArmDsp : AotKernels::kPortable}));
  const ApiEngine api = AotApi(m, aot);
  out.files.push_back({m.name + ".h", ModelApiHeader(m, api)});
  out.files.push_back({m.name + ".cc", ModelApiSource(m, api)});
  return out;
}

}  // namespace emlkit::exporter
