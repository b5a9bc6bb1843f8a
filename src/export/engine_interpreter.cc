#include "export/engine_interpreter.h"

#include <fmt/format.h>

#include <cctype>
#include <set>

#include "emlkit/op_list.h"
#include "export/c_array.h"
#include "export/runtime_files.h"

namespace emlkit::exporter {
namespace {

struct OpLine {
  const char* name;
  int32_t code, max_version;
};
constexpr OpLine kOps[] = {
#define EMLKIT_EXPORT_LINE_(name, code, max_version) {#name, code, max_version},
    EMLKIT_SUPPORTED_OPS(EMLKIT_EXPORT_LINE_)
#undef EMLKIT_EXPORT_LINE_
};

std::string OpsHeader(const ModelInfo& m) {
  const std::string guard = MacroPrefix(m.name) + "_OPS_H_";
  std::string s = Banner(m, "//");
  s += fmt::format(
      "//\n// The operators {} uses: the lines of EMLKIT_SUPPORTED_OPS (emlkit/op_list.h) that\n"
      "// runtime/src/registry.cc registers when EMLKIT_OPS_HEADER names this file.\n"
      "#ifndef {}\n#define {}\n\n// clang-format off\n#define EMLKIT_SELECTED_OPS(X)",
      m.name, guard, guard);
  std::set<int32_t> used(m.op_codes.begin(), m.op_codes.end());
  for (const OpLine& op : kOps) {
    if (used.count(op.code) != 0)
      s += fmt::format(" \\\n  X({}, {}, {})", op.name, op.code, op.max_version);
  }
  return s + fmt::format("\n// clang-format on\n\n#endif  // {}\n", guard);
}

std::string RegistrySource(const ModelInfo& m) {
  return Banner(m, "//") + fmt::format(
                               "//\n// The runtime's operator registry with only the operators of "
                               "{0}_ops.h, so the linker\n// keeps only their kernels.\n"
                               "#define EMLKIT_OPS_HEADER \"{0}_ops.h\"\n#include \"{1}\"\n",
                               m.name, kRegistryInclude);
}

int64_t Elements(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::string TensorMacros(const std::string& prefix, const char* kind, size_t i,
                         const TensorInfo& t) {
  std::string shape = fmt::format("{}", fmt::join(t.shape, "x"));
  return fmt::format(
      "// {1} {2}: '{3}', {4} [{5}]\n"
      "#define {0}_{6}{2}_TYPE {7} /* TFLite TensorType: {4} */\n"
      "#define {0}_{6}{2}_BYTES {8}u\n"
      "#define {0}_{6}{2}_ELEMENTS {11}\n"
      "#define {0}_{6}{2}_SCALE {9} /* 0: not quantized; real = scale * (q - zero_point) */\n"
      "#define {0}_{6}{2}_ZERO_POINT {10}\n",
      prefix, kind, i, t.name, t.type_name, shape, kind[0] == 'i' ? "INPUT" : "OUTPUT", t.type,
      t.bytes, FloatLiteral(t.scale), t.zero_point, Elements(t.shape));
}

}  // namespace

std::string ModelApiHeader(const ModelInfo& m, const ApiEngine& e) {
  const std::string p = MacroPrefix(m.name);
  std::string s = Banner(m, "//");
  s += fmt::format(
      "//\n// {0}: the model behind a small C API.\n"
      "// Engine: {5}; static arena: {1}_ARENA_BYTES bytes.\n//\n"
      "//   if ({0}_init() != 0) {{ /* an emlkit::rt::Status: see emlkit/status.h */ }}\n"
      "//   int8_t* in = (int8_t*){0}_input(0);    // {1}_INPUT0_BYTES bytes\n"
      "//   /* write every input before each invoke */\n"
      "//   {0}_invoke();\n"
      "//   const int8_t* out = (const int8_t*){0}_output(0);\n//\n"
      "// Not thread-safe; no heap. Inputs quantized as q = round(x / SCALE) + ZERO_POINT.\n"
      "#ifndef {1}_H_\n#define {1}_H_\n\n#include \"{6}\"\n\n{7}"
      "#define {1}_NUM_INPUTS {2}\n#define {1}_NUM_OUTPUTS {3}\n#define {1}_NUM_LABELS {4}\n\n",
      m.name, p, m.inputs.size(), m.outputs.size(), m.labels.size(), e.description, e.include,
      e.defines);
  for (size_t i = 0; i < m.inputs.size(); ++i) s += TensorMacros(p, "input", i, m.inputs[i]);
  for (size_t i = 0; i < m.outputs.size(); ++i) s += TensorMacros(p, "output", i, m.outputs[i]);
  s += fmt::format(
      "\n#ifdef __cplusplus\nextern \"C\" {{\n#endif\n\n"
      "// Prepares the interpreter in the static arena; 0 or an emlkit_status.\n"
      "int {0}_init(void);\n"
      "// Runs the model on the current inputs; 0 or an emlkit_status.\n"
      "int {0}_invoke(void);\n"
      "// Input / output i's data (NULL before {0}_init() or when i is out of range).\n"
      "void* {0}_input(int i);\nconst void* {0}_output(int i);\n"
      "// Writes input i from real values (quantized with its scale and zero point, rounding half\n"
      "// away from zero, clamped); `count` must be its element count. 0 or an emlkit_status.\n"
      "int {0}_set_input_float(int i, const float* values, int count);\n"
      "// Element k of output i as a real value (dequantized); 0 when out of range.\n"
      "float {0}_output_float(int i, int k);\n"
      "// Element count of output i (0 when out of range).\n"
      "int {0}_output_count(int i);\n"
      "// Class name of output index i from the model's metadata (NULL when it has none).\n"
      "const char* {0}_label(int i);\n\n"
      "#ifdef __cplusplus\n}}  // extern \"C\"\n#endif\n\n#endif  // {1}_H_\n",
      m.name, p);
  return s;
}

std::string ModelApiSource(const ModelInfo& m, const ApiEngine& e) {
  std::string labels;
  for (const std::string& l : m.labels) labels += "    " + CStringLiteral(l) + ",\n";
  std::string s = Banner(m, "//");
  s += fmt::format(
      "#include \"{0}.h\"\n\n#include <math.h>\n#include <stdint.h>\n\n"
      "#include \"emlkit/status.h\"\n{3}\nnamespace {{\n\n"
      "using emlkit::rt::Status;\n\n"
      "// One input or output as the helpers below read and write it.\n"
      "struct IoView {{\n  void* data;\n  int32_t type;  // TFLite TensorType\n"
      "  int bytes;\n  float scale;  // 0: not quantized\n  int32_t zero_point;\n}};\n\n"
      "{4}\n"
      "const char* const kLabels[] = {{\n{2}    nullptr}};\n\n"
      "// TFLite TensorType values the helpers below convert.\n"
      "constexpr int32_t kFloat32 = 0, kInt32 = 2, kUInt8 = 3, kInt16 = 7, kInt8 = 9;\n\n"
      "int ElementSize(int32_t type) {{\n"
      "  switch (type) {{\n"
      "    case kFloat32:\n    case kInt32:\n      return 4;\n"
      "    case kInt16:\n      return 2;\n"
      "    case kUInt8:\n    case kInt8:\n      return 1;\n"
      "    default:\n      return 0;\n  }}\n}}\n\n"
      "float Clamp(float v, float lo, float hi) {{ return v < lo ? lo : (v > hi ? hi : v); }}\n\n"
      "// Stores the integer value q (already rounded) into element k of an integer tensor.\n"
      "void Store(const IoView& t, int k, float q) {{\n"
      "  switch (t.type) {{\n"
      "    case kInt8:\n"
      "      static_cast<int8_t*>(t.data)[k] = static_cast<int8_t>(Clamp(q, -128.0f, 127.0f));\n"
      "      break;\n"
      "    case kUInt8:\n"
      "      static_cast<uint8_t*>(t.data)[k] = static_cast<uint8_t>(Clamp(q, 0.0f, 255.0f));\n"
      "      break;\n"
      "    case kInt16:\n"
      "      static_cast<int16_t*>(t.data)[k] =\n"
      "          static_cast<int16_t>(Clamp(q, -32768.0f, 32767.0f));\n"
      "      break;\n"
      "    default:\n"
      "      static_cast<int32_t*>(t.data)[k] =\n"
      "          static_cast<int32_t>(Clamp(q, -2147483648.0f, 2147483520.0f));\n"
      "      break;\n  }}\n}}\n\n"
      "float Load(const IoView& t, int k) {{\n"
      "  switch (t.type) {{\n"
      "    case kFloat32:\n      return static_cast<const float*>(t.data)[k];\n"
      "    case kInt8:\n      return static_cast<const int8_t*>(t.data)[k];\n"
      "    case kUInt8:\n      return static_cast<const uint8_t*>(t.data)[k];\n"
      "    case kInt16:\n      return static_cast<const int16_t*>(t.data)[k];\n"
      "    default:\n      return static_cast<float>(static_cast<const int32_t*>(t.data)[k]);\n"
      "  }}\n}}\n\n}}  // namespace\n\n{5}\n"
      "int {0}_set_input_float(int i, const float* values, int count) {{\n"
      "  IoView t;\n"
      "  const int s = View(false, i, &t);\n"
      "  if (s != 0) return s;\n"
      "  const int size = ElementSize(t.type);\n"
      "  if (size == 0 || count != t.bytes / size) {{\n"
      "    return static_cast<int>(Status::kInvalidArgument);\n  }}\n"
      "  for (int k = 0; k < count; ++k) {{\n"
      "    const float v = values[k] != values[k] ? 0.0f : values[k];  // NaN -> 0\n"
      "    if (t.type == kFloat32) {{\n"
      "      static_cast<float*>(t.data)[k] = values[k];\n"
      "    }} else {{\n"
      "      Store(t, k, roundf(t.scale != 0.0f ? v / t.scale : v) + "
      "static_cast<float>(t.zero_point));\n"
      "    }}\n"
      "  }}\n"
      "  return 0;\n}}\n\n"
      "int {0}_output_count(int i) {{\n"
      "  IoView t;\n"
      "  if (View(true, i, &t) != 0) return 0;\n"
      "  const int size = ElementSize(t.type);\n"
      "  return size == 0 ? 0 : t.bytes / size;\n}}\n\n"
      "float {0}_output_float(int i, int k) {{\n"
      "  IoView t;\n"
      "  if (View(true, i, &t) != 0) return 0.0f;\n"
      "  if (k < 0 || k >= {0}_output_count(i)) return 0.0f;\n"
      "  const float v = Load(t, k);\n"
      "  return t.scale != 0.0f ? t.scale * (v - static_cast<float>(t.zero_point)) : v;\n}}\n\n"
      "const char* {0}_label(int i) {{\n"
      "  return i >= 0 && i < {1}_NUM_LABELS ? kLabels[i] : nullptr;\n}}\n",
      m.name, MacroPrefix(m.name), labels, e.source_includes, e.source_globals, e.source_functions);
  return s;
}

namespace {

// The interpreter engine's part of NAME.cc: the interpreter in a static arena.
ApiEngine InterpreterApi(const ModelInfo& m) {
  ApiEngine e;
  e.description = "emlkit's interpreter over " + m.name + "_model_data";
  e.include = m.name + "_model_data.h";
  e.source_includes = "#include \"emlkit/runtime.h\"\n";
  e.source_globals = fmt::format(
      "alignas(16) unsigned char g_arena[{1}_ARENA_BYTES];\n"
      "// The interpreter object lives here; its bookkeeping and tensors live in g_arena.\n"
      "emlkit::rt::Interpreter g_interp;\n\n"
      "// Input (output == false) or output i; 0 or an emlkit_status.\n"
      "int View(bool output, int i, IoView* v) {{\n"
      "  emlkit::rt::TensorView t;\n"
      "  const Status s = output ? g_interp.Output(i, &t) : g_interp.Input(i, &t);\n"
      "  if (s != Status::kOk) return static_cast<int>(s);\n"
      "  *v = {{t.data, static_cast<int32_t>(t.type), static_cast<int>(t.bytes), t.scale,\n"
      "        t.zero_point}};\n"
      "  return 0;\n}}\n",
      m.name, MacroPrefix(m.name));
  e.source_functions = fmt::format(
      "int {0}_init(void) {{\n"
      "  return static_cast<int>(g_interp.Init({0}_model_data, {0}_model_data_size, g_arena,\n"
      "                                       sizeof g_arena));\n}}\n\n"
      "int {0}_invoke(void) {{ return static_cast<int>(g_interp.Invoke()); }}\n\n"
      "void* {0}_input(int i) {{\n"
      "  emlkit::rt::TensorView t;\n"
      "  return g_interp.Input(i, &t) == Status::kOk ? t.data : nullptr;\n}}\n\n"
      "const void* {0}_output(int i) {{\n"
      "  emlkit::rt::TensorView t;\n"
      "  return g_interp.Output(i, &t) == Status::kOk ? t.data : nullptr;\n}}\n",
      m.name);
  return e;
}

}  // namespace

std::string FloatLiteral(float v) {
  std::string s = fmt::format("{}", v);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s + "f";
}

std::string CStringLiteral(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      out += fmt::format("\\{:03o}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string MacroPrefix(const std::string& name) {
  std::string u = name;
  for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return u;
}

Result<GeneratedSources> GenerateInterpreterEngine(const ModelInfo& m) {
  GeneratedSources out = GenerateCArray(m);
  EMLKIT_ASSIGN_OR_RETURN(out.runtime_files, RuntimeFilesFor(m.op_codes));
  out.files.push_back({m.name + "_ops.h", OpsHeader(m)});
  out.files.push_back({m.name + "_registry.cc", RegistrySource(m)});
  const ApiEngine api = InterpreterApi(m);
  out.files.push_back({m.name + ".h", ModelApiHeader(m, api)});
  out.files.push_back({m.name + ".cc", ModelApiSource(m, api)});
  return out;
}

}  // namespace emlkit::exporter
