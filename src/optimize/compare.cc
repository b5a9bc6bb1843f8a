#include "optimize/compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>

#include "optimize/quant_math.h"
#include "tflite/model.h"

namespace emlkit::optimize {
namespace {

using tflite::Runner;
using tflite::RunnerTensor;

// Running sums of the error between two tensors.
class ErrorAcc {
 public:
  // `test` tensor's quantization tells which reference values it cannot represent.
  explicit ErrorAcc(const RunnerTensor& test) {
    if (test.scale > 0.0f && test.type == "int8") {
      const QuantParams p{test.scale, test.zero_point};
      lo_ = QuantMin(p) - 0.5 * test.scale;
      hi_ = QuantMax(p) + 0.5 * test.scale;
    }
  }
  void Add(const std::vector<float>& ref, const std::vector<float>& test) {
    const size_t n = std::min(ref.size(), test.size());
    for (size_t i = 0; i < n; ++i) {
      const double r = ref[i], e = std::fabs(static_cast<double>(test[i]) - r);
      signal_ += r * r;
      noise_ += e * e;
      sum_abs_ += e;
      max_abs_ = std::max(max_abs_, e);
      if (r < lo_ || r > hi_) ++clipped_;
    }
    count_ += static_cast<int64_t>(n);
  }
  TensorError Finish() const {
    TensorError t;
    const double n = count_ > 0 ? static_cast<double>(count_) : 1.0;
    t.sqnr_db = SqnrDb(signal_, noise_);
    t.max_abs_error = max_abs_;
    t.mean_abs_error = sum_abs_ / n;
    t.ref_rms = std::sqrt(signal_ / n);
    t.clipped_share = static_cast<double>(clipped_) / n;
    return t;
  }

 private:
  double lo_ = -std::numeric_limits<double>::infinity();
  double hi_ = std::numeric_limits<double>::infinity();
  double signal_ = 0, noise_ = 0, sum_abs_ = 0, max_abs_ = 0;
  int64_t count_ = 0, clipped_ = 0;
};

// The tensor's current values as floats (dequantized when quantized).
void ReadFloats(const Runner& r, const RunnerTensor& t, std::vector<float>* out) {
  const std::span<const uint8_t> b = r.TensorBytes(t.index);
  const bool q = t.scale > 0.0f;
  const float scale = q ? t.scale : 1.0f;
  const int32_t zp = q ? t.zero_point : 0;
  out->clear();
  if (t.type == "float32") {
    out->resize(b.size() / 4);
    if (!out->empty()) std::memcpy(out->data(), b.data(), out->size() * 4);
  } else if (t.type == "int8") {
    for (uint8_t v : b) out->push_back(scale * static_cast<float>(static_cast<int8_t>(v) - zp));
  } else if (t.type == "uint8") {
    for (uint8_t v : b) out->push_back(scale * static_cast<float>(v - zp));
  } else if (t.type == "int16") {
    for (size_t i = 0; i + 1 < b.size(); i += 2) {
      int16_t v;
      std::memcpy(&v, b.data() + i, 2);
      out->push_back(scale * static_cast<float>(v - zp));
    }
  } else if (t.type == "int32") {
    for (size_t i = 0; i + 3 < b.size(); i += 4) {
      int32_t v;
      std::memcpy(&v, b.data() + i, 4);
      out->push_back(scale * static_cast<float>(static_cast<int64_t>(v) - zp));
    }
  }
}

int64_t Elements(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

bool IsEdgeOp(int32_t code) {
  return code == tflite::op::kQuantize || code == tflite::op::kDequantize;
}

std::vector<int32_t> CoreOps(const Runner& r) {
  std::vector<int32_t> ops;
  for (int32_t k = 0; k < r.num_ops(); ++k) {
    if (!IsEdgeOp(r.op_code(k))) ops.push_back(k);
  }
  return ops;
}

struct Pair {
  int32_t ref_op, test_op;
  RunnerTensor ref, test;
  std::vector<float> ref_vals, test_vals;
};

// The model inputs as each model computes with them: the input tensor (read before Invoke,
// op -1), or, behind a QUANTIZE edge, that operator's int8 output.
Result<std::vector<Pair>> MatchInputs(const Runner& ref, const Runner& test) {
  std::vector<Pair> pairs;
  for (int i = 0; i < ref.num_inputs(); ++i) {
    Pair p{-1, -1, ref.input(i), test.input(i), {}, {}};
    for (int32_t k = 0; k < test.num_ops(); ++k) {
      const std::vector<int32_t> in = test.op_inputs(k);
      if (test.op_code(k) == tflite::op::kQuantize && !in.empty() && in[0] == p.test.index) {
        p.test_op = k;
        EMLKIT_ASSIGN_OR_RETURN(p.test, test.tensor(test.op_outputs(k)[0]));
        break;
      }
    }
    pairs.push_back(std::move(p));
  }
  return pairs;
}

Result<std::vector<Pair>> MatchLayers(const Runner& ref, const Runner& test,
                                      std::string* matching) {
  EMLKIT_ASSIGN_OR_RETURN(std::vector<Pair> pairs, MatchInputs(ref, test));
  const std::vector<int32_t> a = CoreOps(ref), b = CoreOps(test);
  bool same_ops = a.size() == b.size();
  for (size_t i = 0; same_ops && i < a.size(); ++i)
    same_ops = ref.op_code(a[i]) == test.op_code(b[i]);
  if (same_ops) {
    *matching = "operators";
    for (size_t i = 0; i < a.size(); ++i) {
      const std::vector<int32_t> ro = ref.op_outputs(a[i]), to = test.op_outputs(b[i]);
      for (size_t s = 0; s < std::min(ro.size(), to.size()); ++s) {
        EMLKIT_ASSIGN_OR_RETURN(RunnerTensor rt, ref.tensor(ro[s]));
        EMLKIT_ASSIGN_OR_RETURN(RunnerTensor tt, test.tensor(to[s]));
        pairs.push_back({a[i], b[i], rt, tt, {}, {}});
      }
    }
    return pairs;
  }
  *matching = "names";
  std::map<std::string, std::pair<int32_t, int32_t>> ref_by_name;  // name -> (op, tensor)
  for (int32_t k : a) {
    for (int32_t t : ref.op_outputs(k)) {
      EMLKIT_ASSIGN_OR_RETURN(RunnerTensor rt, ref.tensor(t));
      ref_by_name.emplace(rt.name, std::make_pair(k, t));
    }
  }
  for (int32_t k : b) {
    for (int32_t t : test.op_outputs(k)) {
      EMLKIT_ASSIGN_OR_RETURN(RunnerTensor tt, test.tensor(t));
      auto it = ref_by_name.find(tt.name);
      if (it == ref_by_name.end()) continue;
      EMLKIT_ASSIGN_OR_RETURN(RunnerTensor rt, ref.tensor(it->second.second));
      pairs.push_back({it->second.first, k, rt, tt, {}, {}});
    }
  }
  return pairs;
}

Status CheckCompatible(const Runner& ref, const Runner& test) {
  auto describe = [](const Runner& r, bool inputs) {
    std::vector<std::string> parts;
    const int n = inputs ? r.num_inputs() : r.num_outputs();
    for (int i = 0; i < n; ++i) {
      const RunnerTensor& t = inputs ? r.input(i) : r.output(i);
      parts.push_back(fmt::format("'{}' {} [{}]", t.name, t.type, fmt::join(t.shape, ", ")));
    }
    return fmt::format("{}", fmt::join(parts, ", "));
  };
  bool ok = ref.num_inputs() == test.num_inputs() && ref.num_outputs() == test.num_outputs();
  for (int i = 0; ok && i < ref.num_inputs(); ++i) {
    ok = Elements(ref.input(i).shape) == Elements(test.input(i).shape);
  }
  for (int i = 0; ok && i < ref.num_outputs(); ++i) {
    ok = Elements(ref.output(i).shape) == Elements(test.output(i).shape);
  }
  if (ok) return Status::Ok();
  return Status::InvalidArgument(fmt::format(
      "{} and {} do not take and give the same values, so they cannot be compared: inputs {} vs "
      "{}; outputs {} vs {}",
      ref.name(), test.name(), describe(ref, true), describe(test, true), describe(ref, false),
      describe(test, false)));
}

int64_t ArgMax(const float* v, int64_t n) { return std::max_element(v, v + n) - v; }

nlohmann::json ErrorJson(const TensorError& e) {
  nlohmann::json j;
  j["sqnr_db"] = std::isfinite(e.sqnr_db) ? nlohmann::json(e.sqnr_db) : nlohmann::json();
  j["max_abs_error"] = e.max_abs_error;
  j["mean_abs_error"] = e.mean_abs_error;
  j["ref_rms"] = e.ref_rms;
  j["clipped_share"] = e.clipped_share;
  return j;
}

std::string Db(double db) {
  if (std::isinf(db)) return db > 0 ? "exact" : "-inf";
  return fmt::format("{:.1f}", db);
}

}  // namespace

Result<ModelComparison> CompareModels(Runner& ref, Runner& test,
                                      const std::vector<NpyArray>& inputs, Progress* progress) {
  EMLKIT_RETURN_IF_ERROR(CheckCompatible(ref, test));
  if (static_cast<int>(inputs.size()) != ref.num_inputs()) {
    return Status::InvalidArgument(fmt::format("{} has {} inputs; {} input arrays were given",
                                               ref.name(), ref.num_inputs(), inputs.size()));
  }
  int64_t records = -1;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const int64_t want = Elements(ref.input(static_cast<int>(i)).shape);
    if (inputs[i].dtype() != DType::kFloat32 || inputs[i].record_elements() != want) {
      return Status::InvalidArgument(fmt::format(
          "input {} for comparing {} and {}: expected float32 records of {} values, got {} "
          "records of {} values",
          i, ref.name(), test.name(), want, DTypeName(inputs[i].dtype()),
          inputs[i].record_elements()));
    }
    if (records >= 0 && inputs[i].records() != records) {
      return Status::InvalidArgument("comparison inputs have different record counts");
    }
    records = inputs[i].records();
  }
  ModelComparison c;
  c.reference = ref.name();
  c.test = test.name();
  c.records = std::max<int64_t>(records, 0);
  EMLKIT_ASSIGN_OR_RETURN(std::vector<Pair> pairs, MatchLayers(ref, test, &c.matching));
  std::vector<ErrorAcc> layer_acc, out_acc;
  for (const Pair& p : pairs) layer_acc.emplace_back(p.test);
  std::multimap<int32_t, size_t> ref_watch, test_watch;  // op -> pair
  for (size_t i = 0; i < pairs.size(); ++i) {
    ref_watch.emplace(pairs[i].ref_op, i);
    test_watch.emplace(pairs[i].test_op, i);
  }
  ref.SetOpCallback([&](int32_t op) {
    for (auto [it, end] = ref_watch.equal_range(op); it != end; ++it) {
      ReadFloats(ref, pairs[it->second].ref, &pairs[it->second].ref_vals);
    }
  });
  test.SetOpCallback([&](int32_t op) {
    for (auto [it, end] = test_watch.equal_range(op); it != end; ++it) {
      ReadFloats(test, pairs[it->second].test, &pairs[it->second].test_vals);
    }
  });
  for (int i = 0; i < ref.num_outputs(); ++i) {
    OutputComparison o;
    o.index = i;
    o.name = test.output(i).name;
    o.width = Elements(test.output(i).shape);
    o.has_argmax = o.width >= 2;
    c.outputs.push_back(o);
    out_acc.emplace_back(test.output(i));
    c.ref_outputs.emplace_back();
    c.test_outputs.emplace_back();
  }
  Status status;
  for (int64_t r = 0; r < c.records && status.ok(); ++r) {
    if (InterruptRequested()) {
      status = Status::Cancelled("comparison interrupted");
      break;
    }
    for (Runner* runner : {&ref, &test}) {
      if (!status.ok()) break;
      status = runner->ResetState();
      for (size_t i = 0; i < inputs.size() && status.ok(); ++i) {
        const int64_t per = inputs[i].record_elements();
        status = runner->SetInputFloat(
            static_cast<int>(i),
            std::span<const float>(inputs[i].data<float>() + r * per, static_cast<size_t>(per)));
      }
      // Inputs are read now: the planner may reuse their memory once they are consumed.
      for (Pair& p : pairs) {
        if (runner == &ref && p.ref_op < 0) ReadFloats(ref, p.ref, &p.ref_vals);
        if (runner == &test && p.test_op < 0) ReadFloats(test, p.test, &p.test_vals);
      }
      if (status.ok()) status = runner->Invoke();
    }
    if (!status.ok()) break;
    for (size_t i = 0; i < pairs.size(); ++i)
      layer_acc[i].Add(pairs[i].ref_vals, pairs[i].test_vals);
    for (int i = 0; i < ref.num_outputs(); ++i) {
      const std::vector<float> a = ref.OutputFloat(i), b = test.OutputFloat(i);
      out_acc[static_cast<size_t>(i)].Add(a, b);
      OutputComparison& o = c.outputs[static_cast<size_t>(i)];
      if (o.has_argmax && ArgMax(a.data(), o.width) == ArgMax(b.data(), o.width)) ++o.argmax_agree;
      c.ref_outputs[static_cast<size_t>(i)].insert(c.ref_outputs[static_cast<size_t>(i)].end(),
                                                   a.begin(), a.end());
      c.test_outputs[static_cast<size_t>(i)].insert(c.test_outputs[static_cast<size_t>(i)].end(),
                                                    b.begin(), b.end());
    }
    if (progress != nullptr) progress->Update(r + 1);
  }
  ref.SetOpCallback(nullptr);
  test.SetOpCallback(nullptr);
  EMLKIT_RETURN_IF_ERROR(status);
  for (size_t i = 0; i < pairs.size(); ++i) {
    LayerComparison l;
    l.op_index = pairs[i].test_op;
    l.op_name = pairs[i].test_op < 0 ? "(input)" : test.op_name(pairs[i].test_op);
    l.ref_tensor = pairs[i].ref.index;
    l.test_tensor = pairs[i].test.index;
    l.tensor_name = pairs[i].test.name;
    l.shape = pairs[i].test.shape;
    l.test_type = pairs[i].test.type;
    l.scale = pairs[i].test.scale;
    l.zero_point = pairs[i].test.zero_point;
    l.error = layer_acc[i].Finish();
    c.layers.push_back(l);
  }
  for (size_t i = 0; i < c.outputs.size(); ++i) c.outputs[i].error = out_acc[i].Finish();
  return c;
}

nlohmann::json ComparisonJson(const ModelComparison& c) {
  nlohmann::json j;
  j["reference"] = c.reference;
  j["test"] = c.test;
  j["records"] = c.records;
  j["matching"] = c.matching;
  j["outputs"] = nlohmann::json::array();
  for (const OutputComparison& o : c.outputs) {
    nlohmann::json e = ErrorJson(o.error);
    e["index"] = o.index;
    e["name"] = o.name;
    e["width"] = o.width;
    if (o.has_argmax) {
      e["agreement"] = c.records > 0
                           ? static_cast<double>(o.argmax_agree) / static_cast<double>(c.records)
                           : 0.0;
      e["agreeing_records"] = o.argmax_agree;
    }
    j["outputs"].push_back(e);
  }
  j["layers"] = nlohmann::json::array();
  for (const LayerComparison& l : c.layers) {
    nlohmann::json e = ErrorJson(l.error);
    e["op_index"] = l.op_index;
    e["op_name"] = l.op_name;
    e["tensor"] = l.test_tensor;
    e["reference_tensor"] = l.ref_tensor;
    e["tensor_name"] = l.tensor_name;
    e["shape"] = l.shape;
    e["type"] = l.test_type;
    e["scale"] = l.scale > 0 ? nlohmann::json(l.scale) : nlohmann::json();
    e["zero_point"] = l.scale > 0 ? nlohmann::json(l.zero_point) : nlohmann::json();
    j["layers"].push_back(e);
  }
  return j;
}

std::string ComparisonText(const ModelComparison& c) {
  std::string s;
  for (const OutputComparison& o : c.outputs) {
    s += fmt::format("output {} '{}': SQNR {} dB, max |error| {:.4g}, mean |error| {:.4g}", o.index,
                     o.name, Db(o.error.sqnr_db), o.error.max_abs_error, o.error.mean_abs_error);
    if (o.has_argmax) {
      s += fmt::format("; same predicted class on {:.2f} % of records ({} of {})",
                       c.records > 0 ? 100.0 * static_cast<double>(o.argmax_agree) /
                                           static_cast<double>(c.records)
                                     : 0.0,
                       o.argmax_agree, c.records);
    }
    s += "\n";
  }
  if (c.layers.empty()) {
    s += "no layers matched between the two models (different operators and tensor names)\n";
    return s;
  }
  s += fmt::format(
      "\nper layer ({} against {}, matched by {}; the error builds up from the input):\n", c.test,
      c.reference, c.matching);
  s += fmt::format("{:>4}  {:<18} {:<32} {:>12} {:>6} {:>9} {:>10} {:>9}\n", "op", "operator",
                   "tensor", "scale", "zp", "SQNR dB", "max|err|", "clipped");
  for (const LayerComparison& l : c.layers) {
    std::string name = l.tensor_name.size() > 32
                           ? "..." + l.tensor_name.substr(l.tensor_name.size() - 29)
                           : l.tensor_name;
    s += fmt::format("{:>4}  {:<18} {:<32} {:>12} {:>6} {:>9} {:>10.4g} {:>8.2f}%\n",
                     l.op_index < 0 ? "in" : std::to_string(l.op_index), l.op_name, name,
                     l.scale > 0 ? fmt::format("{:.6g}", l.scale) : "-",
                     l.scale > 0 ? std::to_string(l.zero_point) : "-", Db(l.error.sqnr_db),
                     l.error.max_abs_error, 100.0 * l.error.clipped_share);
  }
  return s;
}

}  // namespace emlkit::optimize
