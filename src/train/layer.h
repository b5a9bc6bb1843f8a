// One layer of a sequential network: paired forward / backward passes over a batch of records.
//
// Shapes are per record (no batch axis): [F] for a flat record, [W, C] for a window of W time
// steps with C channels (row-major, the NHWC layout TFLite uses with H = 1; element (t, c) is
// feature t * C + c). Batches are feature-major (see kernels.h): n records of in_size() features
// are stored as [in_size()][n], so kernels vectorize over the batch.
//
// Parameters live in one flat buffer owned by the Network; a layer declares its blocks
// (name, shape, whether weight decay applies) and the Network binds `value` / `grad` pointers
// before Init() or any pass. Layers own only per-batch scratch memory, sized by Reserve().
#ifndef EMLKIT_TRAIN_LAYER_H_
#define EMLKIT_TRAIN_LAYER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/rng.h"
#include "common/status.h"
#include "train/layer_spec.h"

namespace emlkit::train {

using Shape = std::vector<int64_t>;  // one record, no batch axis
int64_t ShapeSize(const Shape& s);
std::string ShapeText(const Shape& s);  // "[16, 3]"

struct ParamBlock {
  std::string name;  // "weights" / "bias"
  Shape shape;       // as stored: dense [out, in], conv1d [filters, kernel * channels], bias [out]
  bool decay = false;      // weight decay applies (weights yes, biases no)
  float* value = nullptr;  // bound by the Network
  float* grad = nullptr;
  int64_t size() const { return ShapeSize(shape); }
};

struct ForwardContext {
  bool training = false;  // dropout is active only while training
  Rng* rng = nullptr;     // for dropout masks; required when training
};

class Layer {
 public:
  Layer(LayerSpec spec, Shape in, Shape out)
      : spec_(std::move(spec)), in_(std::move(in)), out_(std::move(out)) {}
  virtual ~Layer() = default;
  Layer(const Layer&) = delete;
  Layer& operator=(const Layer&) = delete;

  const LayerSpec& spec() const { return spec_; }
  const Shape& in_shape() const { return in_; }
  const Shape& out_shape() const { return out_; }
  int in_size() const { return static_cast<int>(ShapeSize(in_)); }
  int out_size() const { return static_cast<int>(ShapeSize(out_)); }
  std::vector<ParamBlock>& params() { return params_; }
  const std::vector<ParamBlock>& params() const { return params_; }

  // Sizes per-batch scratch memory for batches of up to `max_batch` records.
  virtual void Reserve(int max_batch) { (void)max_batch; }
  // Initializes the bound parameters (He or Glorot uniform weights, zero biases).
  virtual void Init(Rng& rng) { (void)rng; }
  // x [in_size][n] -> y [out_size][n].
  virtual void Forward(const float* x, int n, float* y, const ForwardContext& ctx) = 0;
  // Given x and y from the matching Forward and dy = dLoss/dy [out_size][n]: overwrites the
  // parameter gradients with this batch's and writes dx [in_size][n] unless dx is null.
  virtual void Backward(const float* x, const float* y, const float* dy, int n, float* dx) = 0;

 protected:
  LayerSpec spec_;
  Shape in_, out_;
  std::vector<ParamBlock> params_;
};

// Builds the layer `spec` for records of shape `in`. An impossible combination (Conv1D on a
// flat record, dense on a window, a kernel wider than the window, ...) is an InvalidArgument
// saying why and what to do; the caller adds which layer it was.
Result<std::unique_ptr<Layer>> MakeLayer(const LayerSpec& spec, const Shape& in);

// Uniform initialization limits: He (ReLU family) sqrt(6 / fan_in), Glorot (others)
// sqrt(6 / (fan_in + fan_out)).
float InitLimit(Act act, int64_t fan_in, int64_t fan_out);

}  // namespace emlkit::train

#endif  // EMLKIT_TRAIN_LAYER_H_
