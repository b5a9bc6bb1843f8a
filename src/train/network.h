// A sequential network: layers built for a record shape, one flat parameter buffer, and
// activation / gradient buffers allocated once for batches of up to max_batch records, so a
// training step allocates nothing.
//
//   EMLKIT_ASSIGN_OR_RETURN(Network net, Network::Build({5}, specs, 32));
//   net.Init(seed);
//   const float* logits = net.Forward(x, n, /*training=*/true);   // [output_size()][n]
//   net.Backward(x, dlogits, n);                                   // fills net.grads()
//
// Forward / Backward take feature-major batches (x [input size][n], see kernels.h); Predict
// takes and returns ordinary record-major arrays.
//
// Not thread-safe: one network per thread.
#ifndef EMLKIT_TRAIN_NETWORK_H_
#define EMLKIT_TRAIN_NETWORK_H_

#include <memory>
#include <vector>

#include "common/rng.h"
#include "train/layer.h"

namespace emlkit::train {

class Network {
 public:
  // A contiguous run of the flat parameter buffer (one ParamBlock of one layer).
  struct Block {
    size_t offset;
    size_t size;
    bool decay;  // weight decay applies
  };

  // Builds the layers in order for records of shape `input`. Errors name the layer:
  // "layer 2 (conv1d:16:3): conv1d needs windowed records ...". max_batch >= 1.
  static Result<Network> Build(const Shape& input, const std::vector<LayerSpec>& specs,
                               int max_batch);
  // Assembles a network from layers already built in order (each one's input shape the previous
  // one's output shape, the first one's `input`), e.g. MakeLayer() layers interleaved with
  // layers defined elsewhere (quantization-aware training's fake-quantization layers).
  static Result<Network> FromLayers(const Shape& input, std::vector<std::unique_ptr<Layer>> layers,
                                    int max_batch);
  Network(Network&&) = default;
  Network& operator=(Network&&) = default;

  // Initializes every parameter from `seed` (He / Glorot uniform weights, zero biases) and
  // seeds the dropout masks.
  void Init(uint64_t seed);

  // x [input size][n] -> output [output_size()][n], n <= max_batch(). The returned buffer
  // belongs to the network and is valid until the next pass.
  const float* Forward(const float* x, int n, bool training);
  // After Forward(x, n, true): dout = dLoss/doutput [output_size()][n]. Overwrites grads().
  void Backward(const float* x, const float* dout, int n);
  // Inference on any number of records, record-major: x [n][input size] -> out
  // [n][output_size()] (in chunks of max_batch()).
  void Predict(const float* x, int64_t n, float* out);

  const Shape& input_shape() const { return input_; }
  const Shape& output_shape() const { return layers_.back()->out_shape(); }
  int input_size() const { return static_cast<int>(ShapeSize(input_)); }
  int output_size() const { return layers_.back()->out_size(); }
  int max_batch() const { return max_batch_; }
  const std::vector<std::unique_ptr<Layer>>& layers() const { return layers_; }

  std::vector<float>& weights() { return weights_; }
  const std::vector<float>& weights() const { return weights_; }
  const std::vector<float>& grads() const { return grads_; }
  std::vector<float>& grads() { return grads_; }
  const std::vector<Block>& blocks() const { return blocks_; }

 private:
  Network() = default;
  void Bind();

  Shape input_;
  int max_batch_ = 0;
  std::vector<std::unique_ptr<Layer>> layers_;
  std::vector<float> weights_, grads_;
  std::vector<Block> blocks_;
  std::vector<std::vector<float>> acts_;  // acts_[i]: output of layer i
  std::vector<float> grad_a_, grad_b_;    // ping-pong buffers for dLoss/d(activation)
  std::vector<float> staging_;            // Predict's feature-major input
  Rng dropout_rng_;
};

}  // namespace emlkit::train

#endif  // EMLKIT_TRAIN_NETWORK_H_
