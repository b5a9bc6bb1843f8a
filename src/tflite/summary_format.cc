// ModelSummary as JSON (`emlkit inspect --json`) and as text (`emlkit inspect`).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "tflite/summary.h"

namespace emlkit::tflite {
namespace {

using nlohmann::json;

// 1234567 -> "1,234,567".
std::string Grouped(int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

std::string ShapeText(const std::vector<int32_t>& shape) {
  return fmt::format("[{}]", fmt::join(shape, ", "));
}

// Strings from the file can hold any bytes; JSON output needs UTF-8: invalid sequences become
// U+FFFD.
json SafeString(const std::string& s) {
  return json::parse(json(s).dump(-1, ' ', false, json::error_handler_t::replace));
}

// Metadata text: JSON when it parses as JSON, else the string (trailing NULs dropped: the TFLite
// converter pads min_runtime_version with them).
json MetadataValue(const std::string& text) {
  json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_discarded()) return parsed;
  return SafeString(text.substr(0, text.find('\0')));
}

void AddQuantization(const Tensor& t, json* j) {
  if (!t.quant || t.quant->scale.empty()) {
    (*j)["scale"] = nullptr;
    (*j)["zero_point"] = nullptr;
    return;
  }
  const Quantization& q = *t.quant;
  if (q.scale.size() == 1) {
    (*j)["scale"] = q.scale[0];
    (*j)["zero_point"] = q.zero_point[0];
  } else {
    (*j)["scale"] = q.scale;
    (*j)["zero_point"] = q.zero_point;
    (*j)["quantized_dimension"] = q.quantized_dimension;
  }
}

json TensorJson(const Model& m, int32_t index) {
  const Tensor& t = m.tensors[index];
  json j = {{"tensor_index", index},
            {"name", SafeString(t.name)},
            {"dtype", TensorTypeName(t.type)},
            {"shape", t.shape}};
  AddQuantization(t, &j);
  return j;
}

std::string QuantText(const Tensor& t) {
  if (!t.quant || t.quant->scale.empty()) return "-";
  const Quantization& q = *t.quant;
  if (q.scale.size() == 1)
    return fmt::format("scale {:g} zero_point {}", q.scale[0], q.zero_point[0]);
  auto [lo, hi] = std::minmax_element(q.scale.begin(), q.scale.end());
  return fmt::format("per-channel x{} (axis {}), scale {:g}..{:g}", q.scale.size(),
                     q.quantized_dimension, *lo, *hi);
}

std::string IndexList(const std::vector<int32_t>& v) {
  return v.empty() ? "-" : fmt::format("{}", fmt::join(v, ","));
}

// "UNIDIRECTIONAL_SEQUENCE_LSTM (ops 0, 1), CUSTOM:SignalRfft (op 3)"; a version problem is
// spelled out.
std::string UnsupportedText(const ModelSummary& s) {
  std::vector<std::string> parts;
  for (const std::string& name : s.unsupported_ops) {
    std::vector<size_t> where;
    std::string reason;
    for (size_t i = 0; i < s.ops.size(); ++i) {
      if (s.ops[i].name != name || s.ops[i].unsupported.empty()) continue;
      where.push_back(i);
      if (s.ops[i].unsupported.rfind("version", 0) == 0) reason = s.ops[i].unsupported;
    }
    parts.push_back(fmt::format("{} (op{} {}{})", name, where.size() > 1 ? "s" : "",
                                fmt::join(where, ", "), reason.empty() ? "" : ": " + reason));
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

// Left-aligned columns for a small table.
class Table {
 public:
  void Row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  // Columns listed in `right` are right-aligned (numbers).
  std::string Text(const std::vector<size_t>& right) const {
    std::vector<size_t> width;
    for (const auto& r : rows_) {
      for (size_t c = 0; c < r.size(); ++c) {
        if (c >= width.size()) width.push_back(0);
        width[c] = std::max(width[c], r[c].size());
      }
    }
    std::string out;
    for (const auto& r : rows_) {
      std::string line = " ";
      for (size_t c = 0; c < r.size(); ++c) {
        bool is_right = std::find(right.begin(), right.end(), c) != right.end();
        line += is_right ? fmt::format(" {:>{}}", r[c], width[c])
                         : fmt::format(" {:<{}}", r[c], width[c]);
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line + "\n";
    }
    return out;
  }

 private:
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace

json SummaryJson(const ModelSummary& s) {
  const Model& m = s.model;
  json ops = json::array(), details = json::array(), inputs = json::array(),
       outputs = json::array(), tensors = json::array(), other_metadata = json::array();
  for (size_t i = 0; i < s.ops.size(); ++i) {
    const OpSummary& o = s.ops[i];
    const Operator& op = m.operators[i];
    ops.push_back(SafeString(o.name));
    details.push_back(
        {{"index", i},
         {"name", SafeString(o.name)},
         {"builtin_code", op.builtin_code},
         {"version", op.version},
         {"inputs", op.inputs},
         {"outputs", op.outputs},
         {"macs", o.cost.macs},
         {"params", o.cost.params},
         {"supported", o.unsupported.empty()},
         {"unsupported_reason", o.unsupported.empty() ? json() : json(o.unsupported)}});
  }
  for (int32_t t : m.inputs) inputs.push_back(TensorJson(m, t));
  for (int32_t t : m.outputs) outputs.push_back(TensorJson(m, t));
  for (size_t t = 0; t < m.tensors.size(); ++t) {
    json j = TensorJson(m, static_cast<int32_t>(t));
    j["constant"] = !m.TensorData(static_cast<int32_t>(t)).empty();
    j["variable"] = m.tensors[t].is_variable;
    j["bytes"] = TensorByteSize(m.tensors[t].type, m.tensors[t].shape);
    tensors.push_back(std::move(j));
  }
  json metadata = nullptr;
  for (const Model::MetadataEntry& e : m.metadata) {
    std::string text = m.GetMetadata(e.name).value_or("");
    if (e.name == "emlkit") {
      metadata = MetadataValue(text);
    } else {
      other_metadata.push_back({{"name", SafeString(e.name)}, {"bytes", text.size()}});
    }
  }
  json j;
  j["model"] = SafeString(s.name);
  j["model_bytes"] = s.model_bytes;
  j["description"] = SafeString(m.description);
  j["ops"] = ops;
  j["unsupported_ops"] = json::array();
  for (const std::string& name : s.unsupported_ops)
    j["unsupported_ops"].push_back(SafeString(name));
  j["runs_on_emlkit"] = s.unsupported_ops.empty() && s.arena_bytes.has_value();
  j["params"] = s.params;
  j["macs"] = s.macs;
  j["arena_bytes"] = s.arena_bytes ? json(*s.arena_bytes) : json();
  j["arena_note"] = s.arena_note.empty() ? json() : SafeString(s.arena_note);
  j["inputs"] = inputs;
  j["outputs"] = outputs;
  j["op_details"] = details;
  j["tensors"] = tensors;
  j["metadata"] = metadata;
  j["other_metadata"] = other_metadata;
  return j;
}

std::string SummaryText(const ModelSummary& s) {
  const Model& m = s.model;
  std::string out = fmt::format("{}: {} bytes, {} ops, {} tensors\n", s.name,
                                Grouped(static_cast<int64_t>(s.model_bytes)), m.operators.size(),
                                m.tensors.size());
  if (!m.description.empty()) out += fmt::format("description: {}\n", m.description);
  if (s.unsupported_ops.empty()) {
    out += fmt::format("runs on emlkit: yes, all {} ops are supported\n", m.operators.size());
  } else {
    out += fmt::format("unsupported by emlkit: {}\n", UnsupportedText(s));
  }
  out += fmt::format("parameters: {}\n", Grouped(s.params));
  out += fmt::format("MACs per inference: {}\n", Grouped(s.macs));
  out += s.arena_bytes ? fmt::format("arena: {} bytes (planned by emlkit's runtime)\n",
                                     Grouped(static_cast<int64_t>(*s.arena_bytes)))
                       : fmt::format("arena: {}\n", s.arena_note);

  auto io = [&](const char* title, const std::vector<int32_t>& list) {
    out += fmt::format("\n{}:\n", title);
    Table t;
    for (int32_t i : list) {
      const Tensor& x = m.tensors[i];
      t.Row({fmt::format("tensor {}", i), "'" + x.name + "'", TensorTypeName(x.type),
             ShapeText(x.shape), QuantText(x)});
    }
    out += t.Text({});
  };
  io("inputs", m.inputs);
  io("outputs", m.outputs);

  out += "\nops:\n";
  Table ops;
  ops.Row({"#", "op", "ver", "inputs", "outputs", "MACs", "params", ""});
  for (size_t i = 0; i < s.ops.size(); ++i) {
    const OpSummary& o = s.ops[i];
    const Operator& op = m.operators[i];
    ops.Row({std::to_string(i), o.name, std::to_string(op.version), IndexList(op.inputs),
             IndexList(op.outputs), Grouped(o.cost.macs), Grouped(o.cost.params),
             o.unsupported.empty() ? "" : "unsupported: " + o.unsupported});
  }
  out += ops.Text({0, 2, 5, 6});

  out += "\ntensors:\n";
  Table tensors;
  tensors.Row({"#", "name", "type", "shape", "quantization", "data"});
  for (size_t i = 0; i < m.tensors.size(); ++i) {
    const Tensor& x = m.tensors[i];
    int64_t bytes = TensorByteSize(x.type, x.shape);
    std::string data = !m.TensorData(static_cast<int32_t>(i)).empty()
                           ? fmt::format("const {} B", Grouped(bytes))
                       : x.is_variable ? "variable"
                                       : "-";
    tensors.Row({std::to_string(i), x.name, TensorTypeName(x.type), ShapeText(x.shape),
                 QuantText(x), data});
  }
  out += tensors.Text({0});

  std::vector<std::string> others;
  for (const Model::MetadataEntry& e : m.metadata) {
    std::string text = m.GetMetadata(e.name).value_or("");
    if (e.name == "emlkit") {
      json v = MetadataValue(text);
      out += "\nmetadata 'emlkit':\n" +
             (v.is_string() ? v.get<std::string>()
                            : v.dump(2, ' ', false, json::error_handler_t::replace)) +
             "\n";
    } else {
      others.push_back(fmt::format("{} ({} B)", e.name, text.size()));
    }
  }
  if (!others.empty()) out += fmt::format("\nother metadata: {}\n", fmt::join(others, ", "));
  return out;
}

}  // namespace emlkit::tflite
