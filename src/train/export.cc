#include "train/export.h"

#include <cstring>

namespace emlkit::train {
namespace {

namespace tfl = ::emlkit::tflite;

std::vector<uint8_t> Bytes(const float* v, size_t n) {
  std::vector<uint8_t> b(n * sizeof(float));
  std::memcpy(b.data(), v, b.size());
  return b;
}

std::vector<uint8_t> Bytes(const std::vector<int32_t>& v) {
  std::vector<uint8_t> b(v.size() * sizeof(int32_t));
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

// Appends operators to a model, tracking the tensor that holds the current activation.
class GraphBuilder {
 public:
  explicit GraphBuilder(tfl::Model* model) : m_(model) {}

  int32_t cur() const { return cur_; }
  void set_cur(int32_t t) { cur_ = t; }
  const std::vector<int32_t>& shape() const { return m_->tensors[static_cast<size_t>(cur_)].shape; }
  int32_t size() const {
    int32_t s = 1;
    for (int32_t d : shape()) s *= d;
    return s;
  }

  int32_t Input(std::vector<int32_t> shape) {
    cur_ = m_->AddTensor("input", tfl::TensorType::kFloat32, std::move(shape));
    m_->inputs = {cur_};
    return cur_;
  }

  int32_t Const(const std::string& name, std::vector<int32_t> shape, const float* v) {
    size_t n = 1;
    for (int32_t d : shape) n *= static_cast<size_t>(d);
    return m_->AddConstTensor(name, tfl::TensorType::kFloat32, std::move(shape), Bytes(v, n));
  }
  int32_t ConstInt(const std::string& name, const std::vector<int32_t>& v) {
    return m_->AddConstTensor(name, tfl::TensorType::kInt32, {static_cast<int32_t>(v.size())},
                              Bytes(v));
  }

  // Adds `code` reading `inputs`, writing a new tensor `name` of `shape`; it becomes current.
  int32_t Op(int32_t code, std::vector<int32_t> inputs, const std::string& name,
             std::vector<int32_t> shape, tfl::BuiltinOptions options = {}) {
    int32_t out = m_->AddTensor(name, tfl::TensorType::kFloat32, std::move(shape));
    tfl::Operator op;
    op.builtin_code = code;
    op.version = 1;
    op.inputs = std::move(inputs);
    op.outputs = {out};
    op.options = std::move(options);
    m_->AddOperator(std::move(op));
    cur_ = out;
    return out;
  }

  int32_t Reshape(const std::string& name, std::vector<int32_t> shape) {
    int32_t s = ConstInt(name + "/shape", shape);
    tfl::ReshapeOptions o;
    o.new_shape = shape;
    return Op(tfl::op::kReshape, {cur_, s}, name, shape, o);
  }

  // Makes the current activation 4-D [1, 1, W, C] (from [1, W, C]).
  void To4D(const std::string& prefix) {
    if (shape().size() == 3) Reshape(prefix + "/as_image", {1, 1, shape()[1], shape()[2]});
  }

  // A separate activation op for what cannot be fused.
  void Activation(Act act, const std::string& name) {
    int32_t code = -1;
    tfl::BuiltinOptions opts;
    switch (act) {
      case Act::kRelu:
        code = tfl::op::kRelu;
        break;
      case Act::kRelu6:
        code = tfl::op::kRelu6;
        break;
      case Act::kTanh:
        code = tfl::op::kTanh;
        break;
      case Act::kSigmoid:
        code = tfl::op::kLogistic;
        break;
      case Act::kSoftmax:
        code = tfl::op::kSoftmax;
        opts = tfl::SoftmaxOptions{};
        break;
      default:
        return;
    }
    Op(code, {cur_}, name, shape(), opts);
  }

 private:
  tfl::Model* m_;
  int32_t cur_ = -1;
};

tfl::Activation Fused(Act a) {
  if (a == Act::kRelu) return tfl::Activation::kRelu;
  if (a == Act::kRelu6) return tfl::Activation::kRelu6;
  return tfl::Activation::kNone;
}
bool Fusable(Act a) { return a == Act::kRelu || a == Act::kRelu6 || a == Act::kLinear; }

// Emits the network's layers from the current tensor. For regression, the last dense layer's
// rows are scaled by std and shifted by mean (target scaling folded in).
void EmitNetwork(const FittedModel& m, GraphBuilder& g) {
  const Network& net = *m.net;
  for (size_t li = 0; li < net.layers().size(); ++li) {
    const Layer& layer = *net.layers()[li];
    const LayerSpec& s = layer.spec();
    const bool last = li + 1 == net.layers().size();
    const std::string name = "layer" + std::to_string(li + 1) + "_" + LayerKindName(s.kind);
    const std::string out_name = last ? "output_layer" : name;
    switch (s.kind) {
      case LayerKind::kDense: {
        const ParamBlock& w = layer.params()[0];
        const ParamBlock& b = layer.params()[1];
        const int32_t out = s.units, in = static_cast<int32_t>(layer.in_size());
        std::vector<float> wv(w.value, w.value + w.size()), bv(b.value, b.value + b.size());
        if (last && m.info.task == "regression") {
          for (int32_t o = 0; o < out; ++o) {
            const float sd = m.target_std[static_cast<size_t>(o)];
            for (int32_t i = 0; i < in; ++i) wv[static_cast<size_t>(o * in + i)] *= sd;
            bv[static_cast<size_t>(o)] =
                bv[static_cast<size_t>(o)] * sd + m.target_mean[static_cast<size_t>(o)];
          }
        }
        if (g.shape().size() != 2) g.Reshape(name + "/flat", {1, g.size()});
        int32_t wt = g.Const(name + "/weights", {out, in}, wv.data());
        int32_t bt = g.Const(name + "/bias", {out}, bv.data());
        tfl::FullyConnectedOptions o;
        o.activation = Fused(s.act);
        g.Op(tfl::op::kFullyConnected, {g.cur(), wt, bt}, out_name, {1, out}, o);
        if (!Fusable(s.act)) g.Activation(s.act, name + "/" + ActName(s.act));
        break;
      }
      case LayerKind::kConv1D: {
        g.To4D(name);
        const ParamBlock& w = layer.params()[0];
        const ParamBlock& b = layer.params()[1];
        const int32_t c = static_cast<int32_t>(layer.in_shape()[1]);
        int32_t wt = g.Const(name + "/weights", {s.units, 1, s.size, c}, w.value);
        int32_t bt = g.Const(name + "/bias", {s.units}, b.value);
        tfl::Conv2DOptions o;
        o.padding = s.padding == Pad::kSame ? tfl::Padding::kSame : tfl::Padding::kValid;
        o.stride_w = s.stride;
        o.stride_h = 1;
        o.activation = Fused(s.act);
        g.Op(tfl::op::kConv2D, {g.cur(), wt, bt}, out_name,
             {1, 1, static_cast<int32_t>(layer.out_shape()[0]), s.units}, o);
        if (!Fusable(s.act)) g.Activation(s.act, name + "/" + ActName(s.act));
        break;
      }
      case LayerKind::kMaxPool1D:
      case LayerKind::kAvgPool1D: {
        g.To4D(name);
        tfl::Pool2DOptions o;
        o.padding = tfl::Padding::kValid;
        o.filter_width = s.size;
        o.filter_height = 1;
        o.stride_w = s.stride;
        o.stride_h = 1;
        const int32_t c = static_cast<int32_t>(layer.in_shape()[1]);
        g.Op(s.kind == LayerKind::kMaxPool1D ? tfl::op::kMaxPool2D : tfl::op::kAveragePool2D,
             {g.cur()}, out_name, {1, 1, static_cast<int32_t>(layer.out_shape()[0]), c}, o);
        break;
      }
      case LayerKind::kFlatten:
        if (g.shape().size() != 2) g.Reshape(out_name, {1, g.size()});
        break;
      case LayerKind::kGlobalAvgPool1D: {
        g.To4D(name);
        int32_t axes = g.ConstInt(name + "/axes", {1, 2});
        tfl::ReducerOptions o;
        o.keep_dims = false;
        g.Op(tfl::op::kMean, {g.cur(), axes}, out_name,
             {1, static_cast<int32_t>(layer.out_shape()[0])}, o);
        break;
      }
      case LayerKind::kDropout:
        break;
      case LayerKind::kActivation:
        g.Activation(s.act, out_name);
        break;
      case LayerKind::kCount:
        break;
    }
  }
}

// The flattened input [1, F] (the input itself when already flat).
int32_t FlatInput(GraphBuilder& g, int32_t input, int32_t f) {
  g.set_cur(input);
  if (g.shape().size() == 2) return input;
  return g.Reshape("input_flat", {1, f});
}

}  // namespace

Result<tflite::Model> ExportModel(const FittedModel& m) {
  if (!m.net && !m.kmeans) return Status::Failed("no trained model to export");
  tfl::Model model;
  model.description = "emlkit train";
  GraphBuilder g(&model);
  std::vector<int32_t> in_shape = {1};
  for (int64_t d : m.info.record_shape) in_shape.push_back(static_cast<int32_t>(d));
  const int32_t input = g.Input(in_shape);
  const int32_t f = g.size();
  const std::string& task = m.info.task;

  if (task == "classification") {
    EmitNetwork(m, g);
    g.Op(tfl::op::kSoftmax, {g.cur()}, "probabilities", g.shape(), tfl::SoftmaxOptions{});
  } else if (task == "regression") {
    EmitNetwork(m, g);
    model.tensors[static_cast<size_t>(g.cur())].name = "prediction";
  } else if (m.net) {
    const int32_t x = FlatInput(g, input, f);
    g.set_cur(input);  // the network takes the record as it comes
    EmitNetwork(m, g);
    const int32_t recon = g.cur();
    g.Op(tfl::op::kSub, {recon, x}, "reconstruction_error", {1, f}, tfl::SubOptions{});
    g.Op(tfl::op::kMul, {g.cur(), g.cur()}, "squared_error", {1, f}, tfl::MulOptions{});
    int32_t axes = g.ConstInt("anomaly_score/axes", {1});
    tfl::ReducerOptions r;
    r.keep_dims = true;
    g.Op(tfl::op::kMean, {g.cur(), axes}, "anomaly_score", {1, 1}, r);
  } else {
    const KMeansModel& km = *m.kmeans;
    const int32_t x = FlatInput(g, input, f);
    const float inv_f = 1.0f / static_cast<float>(f);
    std::vector<float> w(km.centroids.size()), b(static_cast<size_t>(km.k));
    for (int c = 0; c < km.k; ++c) {
      double sq = 0;
      for (int j = 0; j < f; ++j) {
        const float v = km.centroids[static_cast<size_t>(c * f + j)];
        w[static_cast<size_t>(c * f + j)] = 2.0f * v * inv_f;
        sq += static_cast<double>(v) * v;
      }
      b[static_cast<size_t>(c)] = static_cast<float>(-sq / f);
    }
    int32_t wt = g.Const("kmeans/centroid_weights", {km.k, f}, w.data());
    int32_t bt = g.Const("kmeans/centroid_bias", {km.k}, b.data());
    g.Op(tfl::op::kFullyConnected, {x, wt, bt}, "kmeans/affinity", {1, km.k},
         tfl::FullyConnectedOptions{});
    g.Reshape("kmeans/affinity_image", {1, 1, km.k, 1});
    tfl::Pool2DOptions pool;
    pool.filter_width = km.k;
    pool.filter_height = 1;
    pool.stride_w = km.k;
    pool.stride_h = 1;
    g.Op(tfl::op::kMaxPool2D, {g.cur()}, "kmeans/best_affinity", {1, 1, 1, 1}, pool);
    g.Reshape("kmeans/best_affinity_flat", {1, 1});
    const int32_t best = g.cur();
    g.Op(tfl::op::kMul, {x, x}, "kmeans/input_squared", {1, f}, tfl::MulOptions{});
    std::vector<float> ones(static_cast<size_t>(f), inv_f);
    const float zero = 0.0f;
    int32_t ot = g.Const("kmeans/mean_weights", {1, f}, ones.data());
    int32_t zt = g.Const("kmeans/mean_bias", {1}, &zero);
    g.Op(tfl::op::kFullyConnected, {g.cur(), ot, zt}, "kmeans/input_norm", {1, 1},
         tfl::FullyConnectedOptions{});
    g.Op(tfl::op::kSub, {g.cur(), best}, "anomaly_score", {1, 1}, tfl::SubOptions{});
  }
  model.outputs = {g.cur()};
  model.SetMetadata("emlkit", ModelMetadata(m).dump());
  return model;
}

}  // namespace emlkit::train
