#include "optimize/qat.h"

#include <algorithm>
#include <cmath>

#include "common/progress.h"
#include "optimize/quant_math.h"

namespace emlkit::optimize {
namespace {

constexpr float kRangeDecay = 0.99f;

train::LayerSpec FakeQuantSpec() {
  train::LayerSpec s;
  s.kind = train::LayerKind::kActivation;  // an identity-shaped layer; never exported
  s.act = train::Act::kLinear;
  s.text = "fakequant";
  return s;
}

class FakeQuantLayer : public train::Layer {
 public:
  explicit FakeQuantLayer(const train::Shape& shape) : Layer(FakeQuantSpec(), shape, shape) {}

  void Forward(const float* x, int n, float* y, const train::ForwardContext& ctx) override {
    const ptrdiff_t total = static_cast<ptrdiff_t>(n) * in_size();
    if (ctx.training && total > 0) {
      const auto [mn, mx] = std::minmax_element(x, x + total);
      if (!seen_) {
        lo_ = *mn;
        hi_ = *mx;
        seen_ = true;
      } else {
        lo_ = kRangeDecay * lo_ + (1 - kRangeDecay) * *mn;
        hi_ = kRangeDecay * hi_ + (1 - kRangeDecay) * *mx;
      }
    }
    if (!seen_) {
      std::copy(x, x + total, y);
      return;
    }
    params_ = AsymmetricParams(lo_, hi_);
    for (ptrdiff_t i = 0; i < total; ++i)
      y[i] = FakeQuantize(x[i], params_.scale, params_.zero_point);
  }

  // Straight-through: the gradient passes where x was inside the representable range.
  void Backward(const float* x, const float*, const float* dy, int n, float* dx) override {
    if (!dx) return;
    const ptrdiff_t total = static_cast<ptrdiff_t>(n) * in_size();
    if (!seen_) {
      std::copy(dy, dy + total, dx);
      return;
    }
    const double half = 0.5 * params_.scale;
    const double lo = QuantMin(params_) - half, hi = QuantMax(params_) + half;
    for (ptrdiff_t i = 0; i < total; ++i) dx[i] = (x[i] >= lo && x[i] <= hi) ? dy[i] : 0.0f;
  }

 private:
  bool seen_ = false;
  float lo_ = 0, hi_ = 0;
  QuantParams params_;
};

// Does the int8 model requantize after this layer (a new scale), so QAT must round there?
bool RoundsAfter(const train::Layer& l) {
  using train::LayerKind;
  const LayerKind k = l.spec().kind;
  return k == LayerKind::kDense || k == LayerKind::kConv1D || k == LayerKind::kGlobalAvgPool1D ||
         k == LayerKind::kActivation;
}

// The QAT twin of `net`: the same layers (fresh, same specs) with fake-quantization layers
// interleaved, and the same weights (fake-quantization layers have none, so the flat parameter
// buffers line up).
Result<train::Network> QatNetwork(const train::Network& net,
                                  const std::vector<train::LayerSpec>& specs) {
  std::vector<std::unique_ptr<train::Layer>> layers;
  layers.push_back(MakeFakeQuantLayer(net.input_shape()));
  train::Shape shape = net.input_shape();
  for (const train::LayerSpec& spec : specs) {
    EMLKIT_ASSIGN_OR_RETURN(std::unique_ptr<train::Layer> l, train::MakeLayer(spec, shape));
    shape = l->out_shape();
    const bool rounds = RoundsAfter(*l);
    layers.push_back(std::move(l));
    if (rounds) layers.push_back(MakeFakeQuantLayer(shape));
  }
  EMLKIT_ASSIGN_OR_RETURN(
      train::Network qat,
      train::Network::FromLayers(net.input_shape(), std::move(layers), net.max_batch()));
  std::copy(net.weights().begin(), net.weights().end(), qat.weights().begin());
  return qat;
}

// Swaps fake-quantized weights in before each batch and the float ones back after backward.
class WeightFakeQuant {
 public:
  WeightFakeQuant(train::Network& net, bool per_channel) : net_(net), per_channel_(per_channel) {
    for (const auto& l : net.layers()) {
      if (!l->params().empty()) blocks_.push_back(&l->params()[0]);
    }
  }
  void Quantize() {
    master_ = net_.weights();
    for (train::ParamBlock* w : blocks_) {
      const std::vector<float> v(w->value, w->value + w->size());
      const std::vector<int32_t> shape = {static_cast<int32_t>(w->shape[0]),
                                          static_cast<int32_t>(w->size() / w->shape[0])};
      const QuantizedWeights q = QuantizeWeightsSymmetric(v, shape, 0, per_channel_);
      const int64_t cols = shape[1];
      for (int64_t i = 0; i < w->size(); ++i) {
        const float scale =
            q.scales.size() == 1 ? q.scales[0] : q.scales[static_cast<size_t>(i / cols)];
        w->value[i] = scale * static_cast<float>(q.values[static_cast<size_t>(i)]);
      }
    }
  }
  void Restore() { std::copy(master_.begin(), master_.end(), net_.weights().begin()); }

 private:
  train::Network& net_;
  bool per_channel_;
  std::vector<train::ParamBlock*> blocks_;
  std::vector<float> master_;
};

}  // namespace

float FakeQuantize(float x, float scale, int32_t zero_point) {
  const QuantParams p{scale, zero_point};
  return scale * static_cast<float>(QuantizeValue(x, p, -128, 127) - zero_point);
}

std::unique_ptr<train::Layer> MakeFakeQuantLayer(const train::Shape& shape) {
  return std::make_unique<FakeQuantLayer>(shape);
}

Result<train::LoopResult> QuantizationAwareTraining(train::FittedModel& m, const data::Dataset& ds,
                                                    const QatOptions& options) {
  if (!m.net) return Status::InvalidArgument("a k-means model has no network to train");
  EMLKIT_ASSIGN_OR_RETURN(train::Network qat, QatNetwork(*m.net, m.specs));
  const train::TrainingData data = train::MakeTrainingData(ds, m);
  train::LoopOptions loop = m.options.loop;
  loop.epochs = options.epochs;
  loop.seed = options.seed;
  loop.mae_scale = data.mae_scale;
  WeightFakeQuant weights(qat, options.per_channel);
  train::LoopCallbacks callbacks;
  callbacks.before_batch = [&] { weights.Quantize(); };
  callbacks.after_backward = [&] { weights.Restore(); };
  callbacks.stop_requested = [] { return InterruptRequested(); };
  callbacks.on_epoch = [&](const train::EpochStats& st) {
    if (options.log == nullptr) return;
    std::fprintf(options.log, "qat epoch %d/%d  loss %.4f  val_loss %.4f  val_%s %.4f%s\n",
                 st.epoch, options.epochs, st.train_loss, st.val_loss,
                 m.info.task == "classification" ? "acc" : "mae", st.val_metric,
                 st.best ? "  *" : "");
  };
  train::LoopResult r =
      train::RunTrainingLoop(qat, data.train, &data.val, data.loss, loop, callbacks);
  if (r.reason == train::StopReason::kInterrupted) {
    return Status::Cancelled("quantization-aware training interrupted");
  }
  if (r.reason == train::StopReason::kDiverged) {
    return Status::Failed("quantization-aware training diverged at epoch " +
                          std::to_string(r.diverged_epoch) + ": try fewer --qat-epochs");
  }
  std::copy(qat.weights().begin(), qat.weights().end(), m.net->weights().begin());
  EMLKIT_RETURN_IF_ERROR(train::ScoreFittedModel(ds, m));
  return r;
}

}  // namespace emlkit::optimize
