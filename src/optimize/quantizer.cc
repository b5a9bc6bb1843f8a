#include "optimize/quantizer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <optional>
#include <set>

#include "optimize/op_rules.h"
#include "optimize/quant_math.h"
#include "tflite/op_support.h"

namespace emlkit::optimize {
namespace {

using tflite::Model;
using tflite::Operator;
using tflite::Quantization;
using tflite::Tensor;
using tflite::TensorType;

bool IsConstant(const Model& m, int32_t t) {
  const Tensor& tensor = m.tensors[static_cast<size_t>(t)];
  return tensor.buffer != 0 && !m.buffers[tensor.buffer].empty();
}

std::string TensorText(const Model& m, int32_t t) {
  return fmt::format("tensor {} '{}'", t, m.tensors[static_cast<size_t>(t)].name);
}

std::string OpText(const Model& m, size_t k) {
  return fmt::format("op {} ({})", k, tflite::OpName(m.operators[k]));
}

std::vector<float> FloatData(const Model& m, int32_t t) {
  const std::vector<uint8_t>& bytes = m.TensorData(t);
  std::vector<float> v(bytes.size() / sizeof(float));
  if (!v.empty()) std::memcpy(v.data(), bytes.data(), v.size() * sizeof(float));
  return v;
}

template <typename T>
std::vector<uint8_t> Bytes(const std::vector<T>& v) {
  std::vector<uint8_t> b(v.size() * sizeof(T));
  if (!b.empty()) std::memcpy(b.data(), v.data(), b.size());
  return b;
}

// Tensor types that mean the model is already (partly) quantized.
bool IsQuantizedType(TensorType t) {
  return t == TensorType::kInt8 || t == TensorType::kUInt8 || t == TensorType::kInt16 ||
         t == TensorType::kFloat16 || t == TensorType::kInt4;
}

tflite::Activation FusedActivation(const Operator& op) {
  return std::visit(
      [](const auto& o) -> tflite::Activation {
        if constexpr (requires { o.activation; }) {
          return o.activation;
        } else {
          return tflite::Activation::kNone;
        }
      },
      op.options);
}

// The output range a fused activation guarantees, intersected into the calibrated one.
Range ClampToActivation(Range r, tflite::Activation act) {
  switch (act) {
    case tflite::Activation::kRelu:
      r.lo = std::max(r.lo, 0.0);
      break;
    case tflite::Activation::kRelu6:
      r.lo = std::max(r.lo, 0.0);
      r.hi = std::min(r.hi, 6.0);
      break;
    case tflite::Activation::kReluN1To1:
    case tflite::Activation::kTanh:
      r.lo = std::max(r.lo, -1.0);
      r.hi = std::min(r.hi, 1.0);
      break;
    case tflite::Activation::kNone:
      break;
  }
  return r;
}

Quantization PerTensor(const QuantParams& p) {
  Quantization q;
  q.scale = {p.scale};
  q.zero_point = {p.zero_point};
  return q;
}

// Union-find over tensor indices: tensors that must share scale and zero point.
class Groups {
 public:
  explicit Groups(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  int32_t Find(int32_t t) {
    while (parent_[static_cast<size_t>(t)] != t) {
      parent_[static_cast<size_t>(t)] =
          parent_[static_cast<size_t>(parent_[static_cast<size_t>(t)])];
      t = parent_[static_cast<size_t>(t)];
    }
    return t;
  }
  void Join(int32_t a, int32_t b) {
    a = Find(a);
    b = Find(b);
    if (a != b) parent_[static_cast<size_t>(std::max(a, b))] = std::min(a, b);
  }

 private:
  std::vector<int32_t> parent_;
};

// Removes buffers no tensor or metadata entry refers to (buffer 0 stays) and renumbers.
void CompactBuffers(Model* m) {
  std::vector<bool> used(m->buffers.size(), false);
  used[0] = true;
  for (const Tensor& t : m->tensors) used[t.buffer] = true;
  for (const Model::MetadataEntry& e : m->metadata) used[e.buffer] = true;
  std::vector<uint32_t> renumber(m->buffers.size(), 0);
  std::vector<std::vector<uint8_t>> kept;
  for (size_t b = 0; b < m->buffers.size(); ++b) {
    if (!used[b]) continue;
    renumber[b] = static_cast<uint32_t>(kept.size());
    kept.push_back(std::move(m->buffers[b]));
  }
  m->buffers = std::move(kept);
  for (Tensor& t : m->tensors) t.buffer = renumber[t.buffer];
  for (Model::MetadataEntry& e : m->metadata) e.buffer = renumber[e.buffer];
}

class Rewriter {
 public:
  Rewriter(const Model& in, const ActivationRanges& ranges, const QuantizeOptions& options,
           const std::string& name)
      : in_(in), out_(in), ranges_(ranges), options_(options), name_(name) {}

  Result<Model> Run() {
    EMLKIT_RETURN_IF_ERROR(AssignActivationParams());
    for (size_t k = 0; k < out_.operators.size(); ++k) {
      EMLKIT_RETURN_IF_ERROR(QuantizeConstants(k));
      SetVersion(out_.operators[k]);
    }
    if (options_.float_io) AddEdges();
    std::erase_if(out_.metadata, [](const Model::MetadataEntry& e) {
      return e.name == "min_runtime_version" || e.name == "CONVERSION_METADATA";
    });
    CompactBuffers(&out_);
    EMLKIT_RETURN_IF_ERROR(
        tflite::ValidateModel(out_, name_ + " (quantized)", StatusCode::kInternal));
    return std::move(out_);
  }

 private:
  // Activation tensors: every non-constant tensor an operator reads or writes, and the graph
  // inputs and outputs.
  std::set<int32_t> ActivationTensors() const {
    std::set<int32_t> s(in_.inputs.begin(), in_.inputs.end());
    s.insert(in_.outputs.begin(), in_.outputs.end());
    for (const Operator& op : in_.operators) {
      for (int32_t t : op.inputs)
        if (t >= 0 && !IsConstant(in_, t)) s.insert(t);
      for (int32_t t : op.outputs) s.insert(t);
    }
    return s;
  }

  Status AssignActivationParams() {
    const std::set<int32_t> acts = ActivationTensors();
    Groups groups(in_.tensors.size());
    std::map<int32_t, QuantParams> fixed;  // tensor -> required params
    std::map<int32_t, Range> clamped;      // tensor -> range after its fused activation
    for (const Operator& op : in_.operators) {
      const OpRule* rule = FindOpRule(op.builtin_code);
      const int32_t out = op.outputs[0];
      if (rule->output == OutputRule::kSameAsInputs) {
        const size_t n = rule->all_inputs_shared ? op.inputs.size() : 1;
        for (size_t i = 0; i < n; ++i) {
          if (op.inputs[i] >= 0 && !IsConstant(in_, op.inputs[i])) groups.Join(out, op.inputs[i]);
        }
      } else if (rule->output == OutputRule::kFixed) {
        fixed[out] = rule->fixed;
      }
      const tflite::Activation act = FusedActivation(op);
      if (act != tflite::Activation::kNone && ranges_.count(out) != 0) {
        clamped[out] = ClampToActivation(ranges_.at(out), act);
      }
    }
    // Per group: the union of the members' ranges, or the one fixed requirement.
    std::map<int32_t, Range> group_range;
    std::map<int32_t, std::pair<int32_t, QuantParams>> group_fixed;
    for (int32_t t : acts) {
      auto r = clamped.count(t)   ? std::optional<Range>(clamped.at(t))
               : ranges_.count(t) ? std::optional<Range>(ranges_.at(t))
                                  : std::nullopt;
      if (!r) {
        return Status::InvalidArgument(
            fmt::format("{}: no calibration range for {}: every activation must be calibrated",
                        name_, TensorText(in_, t)));
      }
      const int32_t g = groups.Find(t);
      auto [it, inserted] = group_range.emplace(g, *r);
      if (!inserted) it->second = {std::min(it->second.lo, r->lo), std::max(it->second.hi, r->hi)};
      if (fixed.count(t) == 0) continue;
      auto [f, fresh] = group_fixed.emplace(g, std::make_pair(t, fixed.at(t)));
      if (!fresh && !(f->second.second == fixed.at(t))) {
        return Status::InvalidArgument(fmt::format(
            "{}: {} and {} must share quantization parameters but have different fixed ones "
            "(scale {} / {}): emlkit cannot quantize this graph",
            name_, TensorText(in_, f->second.first), TensorText(in_, t), f->second.second.scale,
            fixed.at(t).scale));
      }
    }
    for (int32_t t : acts) {
      const int32_t g = groups.Find(t);
      const Range& r = group_range.at(g);
      const QuantParams p =
          group_fixed.count(g) ? group_fixed.at(g).second : AsymmetricParams(r.lo, r.hi);
      Tensor& tensor = out_.tensors[static_cast<size_t>(t)];
      tensor.type = TensorType::kInt8;
      tensor.quant = PerTensor(p);
      params_[t] = p;
    }
    return Status::Ok();
  }

  // Points operator input `slot` of op k at a constant tensor with new data: the same tensor
  // when this is its first conversion, otherwise a copy (so tensors shared between operators
  // with different requirements stay correct).
  int32_t ConvertedTensor(size_t k, size_t slot) {
    int32_t t = out_.operators[k].inputs[slot];
    if (converted_.insert(t).second) return t;
    Tensor copy = out_.tensors[static_cast<size_t>(t)];
    copy.name += fmt::format("_op{}", k);
    out_.tensors.push_back(copy);
    t = static_cast<int32_t>(out_.tensors.size() - 1);
    out_.operators[k].inputs[slot] = t;
    return t;
  }

  void SetData(int32_t t, TensorType type, std::vector<uint8_t> bytes, Quantization q) {
    Tensor& tensor = out_.tensors[static_cast<size_t>(t)];
    out_.buffers.push_back(std::move(bytes));
    tensor.buffer = static_cast<uint32_t>(out_.buffers.size() - 1);
    tensor.type = type;
    tensor.quant = std::move(q);
  }

  Status QuantizeConstants(size_t k) {
    const Operator& op = in_.operators[k];
    const OpRule* rule = FindOpRule(op.builtin_code);
    if (rule->weight_axis >= 0) return QuantizeWeightsAndBias(k, *rule);
    for (size_t i = 0; i < op.inputs.size(); ++i) {
      const int32_t t = op.inputs[i];
      if (t < 0 || !IsConstant(in_, t) ||
          in_.tensors[static_cast<size_t>(t)].type != TensorType::kFloat32) {
        continue;
      }
      const std::vector<float> v = FloatData(in_, t);
      QuantParams p;
      if (rule->all_inputs_shared) {
        p = params_.at(op.outputs[0]);
      } else {
        double lo = 0, hi = 0;
        for (float x : v) {
          lo = std::min<double>(lo, x);
          hi = std::max<double>(hi, x);
        }
        p = AsymmetricParams(lo, hi);
      }
      std::vector<int8_t> q(v.size());
      for (size_t e = 0; e < v.size(); ++e)
        q[e] = static_cast<int8_t>(QuantizeValue(v[e], p, -128, 127));
      SetData(ConvertedTensor(k, i), TensorType::kInt8, Bytes(q), PerTensor(p));
    }
    return Status::Ok();
  }

  Status QuantizeWeightsAndBias(size_t k, const OpRule& rule) {
    const Operator& op = in_.operators[k];
    const int32_t w = op.inputs[1];
    const Tensor& wt = in_.tensors[static_cast<size_t>(w)];
    const float input_scale = params_.at(op.inputs[0]).scale;
    QuantizedWeights qw = QuantizeWeightsSymmetric(FloatData(in_, w), wt.shape, rule.weight_axis,
                                                   options_.per_channel);
    const int32_t b = op.inputs.size() > 2 ? op.inputs[2] : -1;
    std::vector<float> bias;
    if (b >= 0) {
      bias = FloatData(in_, b);
      if (WidenScalesForBias(bias, input_scale, &qw.scales)) {
        qw.values = QuantizeWithScales(FloatData(in_, w), wt.shape, rule.weight_axis, qw.scales);
      }
    }
    Quantization wq;
    wq.scale = qw.scales;
    wq.zero_point.assign(qw.scales.size(), 0);
    wq.quantized_dimension = options_.per_channel ? rule.weight_axis : 0;
    SetData(ConvertedTensor(k, 1), TensorType::kInt8, Bytes(qw.values), wq);
    if (b < 0) return Status::Ok();
    Quantization bq;
    for (float s : qw.scales) bq.scale.push_back(input_scale * s);
    bq.zero_point.assign(bq.scale.size(), 0);
    SetData(ConvertedTensor(k, 2), TensorType::kInt32,
            Bytes(QuantizeBias(bias, input_scale, qw.scales)), bq);
    return Status::Ok();
  }

  void SetVersion(Operator& op) const {
    const OpRule* rule = FindOpRule(op.builtin_code);
    op.version = rule->version;
    if (const auto* fc = std::get_if<tflite::FullyConnectedOptions>(&op.options)) {
      if (fc->keep_num_dims) op.version = 5;
    }
    if (op.builtin_code == tflite::op::kMul) {
      const double rescale = static_cast<double>(ScaleOf(op.inputs[0])) * ScaleOf(op.inputs[1]) /
                             ScaleOf(op.outputs[0]);
      if (rescale >= 1.0) op.version = 3;
    }
  }

  float ScaleOf(int32_t t) const { return out_.tensors[static_cast<size_t>(t)].quant->scale[0]; }

  // Makes graph input or output `t` float32 again and moves its int8 role (and every operator's
  // use of it) to a new tensor with its parameters, which it returns.
  int32_t SplitEdge(int32_t t) {
    Tensor q = out_.tensors[static_cast<size_t>(t)];
    q.name += "_int8";
    out_.tensors[static_cast<size_t>(t)].type = TensorType::kFloat32;
    out_.tensors[static_cast<size_t>(t)].quant.reset();
    out_.tensors.push_back(q);
    const int32_t qt = static_cast<int32_t>(out_.tensors.size() - 1);
    for (Operator& op : out_.operators) {
      std::replace(op.inputs.begin(), op.inputs.end(), t, qt);
      std::replace(op.outputs.begin(), op.outputs.end(), t, qt);
    }
    return qt;
  }

  static Operator EdgeOp(int32_t code, int32_t version, int32_t in, int32_t out) {
    Operator op;
    op.builtin_code = code;
    op.version = version;
    op.inputs = {in};
    op.outputs = {out};
    return op;
  }

  // Float input / output with QUANTIZE after each input and DEQUANTIZE before each output.
  void AddEdges() {
    std::vector<Operator> front;
    for (int32_t in : out_.inputs) {
      front.push_back(EdgeOp(tflite::op::kQuantize, 1, in, SplitEdge(in)));
    }
    for (int32_t o : out_.outputs) {
      out_.operators.push_back(EdgeOp(tflite::op::kDequantize, 2, SplitEdge(o), o));
    }
    out_.operators.insert(out_.operators.begin(), front.begin(), front.end());
  }

  const Model& in_;
  Model out_;
  const ActivationRanges& ranges_;
  const QuantizeOptions& options_;
  const std::string& name_;
  std::map<int32_t, QuantParams> params_;  // activation tensor -> its int8 parameters
  std::set<int32_t> converted_;            // constant tensors already given int8/int32 data
};

Status CheckOperator(const Model& m, size_t k, const std::string& name) {
  const Operator& op = m.operators[k];
  const OpRule* rule =
      op.builtin_code == tflite::op::kCustom ? nullptr : FindOpRule(op.builtin_code);
  if (rule == nullptr) {
    return Status::InvalidArgument(fmt::format(
        "{}: {} is not handled by emlkit quantize (it quantizes {}); keep this model float, or "
        "replace the operator",
        name, OpText(m, k), QuantizableOpNames()));
  }
  if (op.outputs.empty()) {
    return Status::InvalidArgument(fmt::format("{}: {} has no output", name, OpText(m, k)));
  }
  for (int32_t t : op.outputs) {
    if (m.tensors[static_cast<size_t>(t)].type != TensorType::kFloat32) {
      return Status::InvalidArgument(
          fmt::format("{}: {} writes {}, which is {}: emlkit quantize needs float32 activations",
                      name, OpText(m, k), TensorText(m, t),
                      tflite::TensorTypeName(m.tensors[static_cast<size_t>(t)].type)));
    }
  }
  for (size_t i = 0; i < op.inputs.size(); ++i) {
    const int32_t t = op.inputs[i];
    if (t < 0) continue;
    const Tensor& tensor = m.tensors[static_cast<size_t>(t)];
    const bool constant = IsConstant(m, t);
    const bool is_weight = rule->weight_axis >= 0 && (i == 1 || i == 2);
    if (is_weight) {
      if (!constant || tensor.type != TensorType::kFloat32) {
        return Status::InvalidArgument(
            fmt::format("{}: {}: its {} ({}) must be a float32 constant for emlkit quantize", name,
                        OpText(m, k), i == 1 ? "weights" : "bias", TensorText(m, t)));
      }
      if (i == 1 && static_cast<size_t>(rule->weight_axis) >= tensor.shape.size()) {
        return Status::InvalidArgument(fmt::format("{}: {}: weights {} have shape rank {}", name,
                                                   OpText(m, k), TensorText(m, t),
                                                   tensor.shape.size()));
      }
      continue;
    }
    if (!constant && tensor.type != TensorType::kFloat32) {
      return Status::InvalidArgument(
          fmt::format("{}: {} reads {}, which is {}: emlkit quantize needs float32 activations",
                      name, OpText(m, k), TensorText(m, t), tflite::TensorTypeName(tensor.type)));
    }
    if (constant && tensor.type == TensorType::kFloat32 && !rule->const_operands) {
      return Status::InvalidArgument(fmt::format(
          "{}: {}: input {} ({}) is a float constant, which emlkit quantize does not handle for "
          "{}",
          name, OpText(m, k), i, TensorText(m, t), rule->name));
    }
  }
  return Status::Ok();
}

}  // namespace

Status CheckQuantizable(const Model& model, const std::string& name) {
  for (size_t t = 0; t < model.tensors.size(); ++t) {
    const Tensor& tensor = model.tensors[t];
    const bool has_params = tensor.quant && !tensor.quant->scale.empty();
    if (IsQuantizedType(tensor.type) || has_params) {
      return Status::InvalidArgument(fmt::format(
          "{} is already quantized ({} is {}{}): emlkit quantize takes a float32 model; quantize "
          "its float original instead",
          name, TensorText(model, static_cast<int32_t>(t)), tflite::TensorTypeName(tensor.type),
          has_params ? " with quantization parameters" : ""));
    }
  }
  for (size_t k = 0; k < model.operators.size(); ++k) {
    EMLKIT_RETURN_IF_ERROR(CheckOperator(model, k, name));
  }
  for (int32_t t : model.inputs) {
    if (model.tensors[static_cast<size_t>(t)].type != TensorType::kFloat32) {
      return Status::InvalidArgument(
          fmt::format("{}: graph input {} is {}, not float32", name, TensorText(model, t),
                      tflite::TensorTypeName(model.tensors[static_cast<size_t>(t)].type)));
    }
  }
  if (model.operators.empty()) {
    return Status::InvalidArgument(name + ": the model has no operators to quantize");
  }
  return Status::Ok();
}

Result<Model> QuantizeModel(const Model& model, const ActivationRanges& ranges,
                            const QuantizeOptions& options, const std::string& name) {
  Rewriter r(model, ranges, options, name);
  return r.Run();
}

}  // namespace emlkit::optimize
