#include "train/network.h"

#include <algorithm>

#include "train/kernels.h"

namespace emlkit::train {

Result<Network> Network::Build(const Shape& input, const std::vector<LayerSpec>& specs,
                               int max_batch) {
  if (specs.empty()) return Status::InvalidArgument("the network has no layers");
  std::vector<std::unique_ptr<Layer>> layers;
  Shape shape = input;
  for (size_t i = 0; i < specs.size(); ++i) {
    auto layer = MakeLayer(specs[i], shape);
    if (!layer.ok())
      return Status::InvalidArgument("layer " + std::to_string(i + 1) + " (" + specs[i].text +
                                     "): " + layer.status().message());
    shape = (*layer)->out_shape();
    if (ShapeSize(shape) <= 0)
      return Status::InvalidArgument("layer " + std::to_string(i + 1) + " (" + specs[i].text +
                                     ") has an empty output " + ShapeText(shape));
    layers.push_back(std::move(*layer));
  }
  return FromLayers(input, std::move(layers), max_batch);
}

Result<Network> Network::FromLayers(const Shape& input, std::vector<std::unique_ptr<Layer>> layers,
                                    int max_batch) {
  if (layers.empty()) return Status::InvalidArgument("the network has no layers");
  Network net;
  net.input_ = input;
  net.max_batch_ = std::max(1, max_batch);
  Shape shape = input;
  size_t widest = static_cast<size_t>(ShapeSize(input));
  for (size_t i = 0; i < layers.size(); ++i) {
    if (layers[i]->in_shape() != shape)
      return Status::InvalidArgument("layer " + std::to_string(i + 1) + " takes " +
                                     ShapeText(layers[i]->in_shape()) + " but receives " +
                                     ShapeText(shape));
    shape = layers[i]->out_shape();
    widest = std::max(widest, static_cast<size_t>(ShapeSize(shape)));
  }
  net.layers_ = std::move(layers);
  size_t total = 0;
  for (auto& layer : net.layers_) {
    for (ParamBlock& p : layer->params()) {
      net.blocks_.push_back({total, static_cast<size_t>(p.size()), p.decay});
      total += static_cast<size_t>(p.size());
    }
    layer->Reserve(net.max_batch_);
    net.acts_.emplace_back(static_cast<size_t>(net.max_batch_) *
                           static_cast<size_t>(layer->out_size()));
  }
  net.weights_.assign(total, 0.0f);
  net.grads_.assign(total, 0.0f);
  net.grad_a_.resize(widest * static_cast<size_t>(net.max_batch_));
  net.grad_b_.resize(widest * static_cast<size_t>(net.max_batch_));
  net.staging_.resize(static_cast<size_t>(ShapeSize(input)) * static_cast<size_t>(net.max_batch_));
  net.Bind();
  return net;
}

void Network::Bind() {
  size_t b = 0;
  for (auto& layer : layers_) {
    for (ParamBlock& p : layer->params()) {
      p.value = weights_.data() + blocks_[b].offset;
      p.grad = grads_.data() + blocks_[b].offset;
      ++b;
    }
  }
}

void Network::Init(uint64_t seed) {
  Rng rng(seed);
  for (auto& layer : layers_) layer->Init(rng);
  dropout_rng_.Seed(seed ^ 0xD5A0D5A0D5A0D5A0ull);
}

const float* Network::Forward(const float* x, int n, bool training) {
  ForwardContext ctx{training, &dropout_rng_};
  const float* in = x;
  for (size_t i = 0; i < layers_.size(); ++i) {
    layers_[i]->Forward(in, n, acts_[i].data(), ctx);
    in = acts_[i].data();
  }
  return in;
}

void Network::Backward(const float* x, const float* dout, int n) {
  const float* dy = dout;
  float* bufs[2] = {grad_a_.data(), grad_b_.data()};
  for (size_t k = layers_.size(); k-- > 0;) {
    const float* in = k == 0 ? x : acts_[k - 1].data();
    float* dx = k == 0 ? nullptr : bufs[k % 2];
    layers_[k]->Backward(in, acts_[k].data(), dy, n, dx);
    dy = dx;
  }
}

void Network::Predict(const float* x, int64_t n, float* out) {
  const int in = input_size(), os = output_size();
  for (int64_t start = 0; start < n; start += max_batch_) {
    int m = static_cast<int>(std::min<int64_t>(max_batch_, n - start));
    kernels::ToFeatureMajor(x + start * in, m, in, staging_.data());
    const float* y = Forward(staging_.data(), m, false);
    kernels::ToRecordMajor(y, m, os, out + start * os);
  }
}

}  // namespace emlkit::train
