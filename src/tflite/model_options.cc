// Builtin options: decoding the FlatBuffers union into the host model's variant and back.
#include "tflite/model_options.h"

#include <string>
#include <type_traits>
#include <variant>

namespace emlkit::tflite {
namespace {

// Collects the names of what could not be decoded, for Operator::undecoded_options.
class Undecoded {
 public:
  void Add(const std::string& what) { text_ += (text_.empty() ? "" : ", ") + what; }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

Activation ToActivation(fb::ActivationFunctionType a, const char* table, Undecoded* u) {
  int v = static_cast<int>(a);
  if (v >= 0 && v <= static_cast<int>(Activation::kTanh)) return static_cast<Activation>(v);
  u->Add(std::string(table) + ".fused_activation_function=" + std::to_string(v));
  return Activation::kNone;
}

Padding ToPadding(fb::Padding p, const char* table, Undecoded* u) {
  if (p == fb::Padding::SAME) return Padding::kSame;
  if (p == fb::Padding::VALID) return Padding::kValid;
  u->Add(std::string(table) + ".padding=" + std::to_string(static_cast<int>(p)));
  return Padding::kValid;
}

// A field the variant has no member for must hold the schema's default to be dropped safely.
void RequireDefault(bool is_default, const char* field, Undecoded* u) {
  if (!is_default) u->Add(field);
}

fb::ActivationFunctionType Act(Activation a) { return static_cast<fb::ActivationFunctionType>(a); }
fb::Padding Pad(Padding p) { return p == Padding::kSame ? fb::Padding::SAME : fb::Padding::VALID; }

// The union members whose tables have no fields: reading them as "no options" loses nothing.
bool IsEmptyOptionsTable(fb::BuiltinOptions t) {
  switch (t) {
    case fb::BuiltinOptions::PadOptions:
    case fb::BuiltinOptions::PadV2Options:
    case fb::BuiltinOptions::TransposeOptions:
    case fb::BuiltinOptions::ExpOptions:
    case fb::BuiltinOptions::DequantizeOptions:
    case fb::BuiltinOptions::MaximumMinimumOptions:
    case fb::BuiltinOptions::QuantizeOptions:
    case fb::BuiltinOptions::HardSwishOptions:
      return true;
    default:
      return false;
  }
}

BuiltinOptions Decode(const fb::Operator& in, Undecoded* u) {
  using BO = fb::BuiltinOptions;
  switch (in.builtin_options_type()) {
    case BO::NONE:
      break;
    case BO::FullyConnectedOptions: {
      const auto* o = in.builtin_options_as_FullyConnectedOptions();
      if (!o) break;
      RequireDefault(o->weights_format() == fb::FullyConnectedOptionsWeightsFormat::DEFAULT,
                     "FullyConnectedOptions.weights_format", u);
      RequireDefault(!o->asymmetric_quantize_inputs(),
                     "FullyConnectedOptions.asymmetric_quantize_inputs", u);
      RequireDefault(o->quantized_bias_type() == fb::TensorType::FLOAT32,
                     "FullyConnectedOptions.quantized_bias_type", u);
      return FullyConnectedOptions{
          ToActivation(o->fused_activation_function(), "FullyConnectedOptions", u),
          o->keep_num_dims()};
    }
    case BO::Conv2DOptions: {
      const auto* o = in.builtin_options_as_Conv2DOptions();
      if (!o) break;
      RequireDefault(o->quantized_bias_type() == fb::TensorType::FLOAT32,
                     "Conv2DOptions.quantized_bias_type", u);
      return Conv2DOptions{ToPadding(o->padding(), "Conv2DOptions", u),
                           o->stride_w(),
                           o->stride_h(),
                           ToActivation(o->fused_activation_function(), "Conv2DOptions", u),
                           o->dilation_w_factor(),
                           o->dilation_h_factor()};
    }
    case BO::DepthwiseConv2DOptions: {
      const auto* o = in.builtin_options_as_DepthwiseConv2DOptions();
      if (!o) break;
      return DepthwiseConv2DOptions{
          ToPadding(o->padding(), "DepthwiseConv2DOptions", u),
          o->stride_w(),
          o->stride_h(),
          o->depth_multiplier(),
          ToActivation(o->fused_activation_function(), "DepthwiseConv2DOptions", u),
          o->dilation_w_factor(),
          o->dilation_h_factor()};
    }
    case BO::Pool2DOptions: {
      const auto* o = in.builtin_options_as_Pool2DOptions();
      if (!o) break;
      return Pool2DOptions{ToPadding(o->padding(), "Pool2DOptions", u),
                           o->stride_w(),
                           o->stride_h(),
                           o->filter_width(),
                           o->filter_height(),
                           ToActivation(o->fused_activation_function(), "Pool2DOptions", u)};
    }
    case BO::SoftmaxOptions: {
      const auto* o = in.builtin_options_as_SoftmaxOptions();
      if (!o) break;
      return SoftmaxOptions{o->beta()};
    }
    case BO::ReshapeOptions: {
      const auto* o = in.builtin_options_as_ReshapeOptions();
      if (!o) break;
      ReshapeOptions r;
      if (o->new_shape()) r.new_shape.assign(o->new_shape()->begin(), o->new_shape()->end());
      return r;
    }
    case BO::AddOptions: {
      const auto* o = in.builtin_options_as_AddOptions();
      if (!o) break;
      return AddOptions{ToActivation(o->fused_activation_function(), "AddOptions", u),
                        o->pot_scale_int16()};
    }
    case BO::SubOptions: {
      const auto* o = in.builtin_options_as_SubOptions();
      if (!o) break;
      return SubOptions{ToActivation(o->fused_activation_function(), "SubOptions", u),
                        o->pot_scale_int16()};
    }
    case BO::MulOptions: {
      const auto* o = in.builtin_options_as_MulOptions();
      if (!o) break;
      return MulOptions{ToActivation(o->fused_activation_function(), "MulOptions", u)};
    }
    case BO::DivOptions: {
      const auto* o = in.builtin_options_as_DivOptions();
      if (!o) break;
      return DivOptions{ToActivation(o->fused_activation_function(), "DivOptions", u)};
    }
    case BO::ConcatenationOptions: {
      const auto* o = in.builtin_options_as_ConcatenationOptions();
      if (!o) break;
      return ConcatenationOptions{
          o->axis(), ToActivation(o->fused_activation_function(), "ConcatenationOptions", u)};
    }
    case BO::ReducerOptions: {
      const auto* o = in.builtin_options_as_ReducerOptions();
      if (!o) break;
      return ReducerOptions{o->keep_dims()};
    }
    case BO::StridedSliceOptions: {
      const auto* o = in.builtin_options_as_StridedSliceOptions();
      if (!o) break;
      return StridedSliceOptions{o->begin_mask(),    o->end_mask(),         o->ellipsis_mask(),
                                 o->new_axis_mask(), o->shrink_axis_mask(), o->offset()};
    }
    case BO::SVDFOptions: {
      const auto* o = in.builtin_options_as_SVDFOptions();
      if (!o) break;
      RequireDefault(!o->asymmetric_quantize_inputs(), "SVDFOptions.asymmetric_quantize_inputs", u);
      return SvdfOptions{o->rank(), ToActivation(o->fused_activation_function(), "SVDFOptions", u)};
    }
    case BO::CastOptions: {
      const auto* o = in.builtin_options_as_CastOptions();
      if (!o) break;
      return CastOptions{static_cast<TensorType>(o->in_data_type()),
                         static_cast<TensorType>(o->out_data_type())};
    }
    case BO::UnidirectionalSequenceLSTMOptions: {
      const auto* o = in.builtin_options_as_UnidirectionalSequenceLSTMOptions();
      if (!o) break;
      return UnidirectionalSequenceLstmOptions{
          ToActivation(o->fused_activation_function(), "UnidirectionalSequenceLSTMOptions", u),
          o->cell_clip(),
          o->proj_clip(),
          o->time_major(),
          o->asymmetric_quantize_inputs(),
          o->diagonal_recurrent_tensors()};
    }
    default:
      if (!IsEmptyOptionsTable(in.builtin_options_type())) {
        u->Add("BuiltinOptions type " +
               std::to_string(static_cast<int>(in.builtin_options_type())));
      }
      break;
  }
  return std::monostate{};
}

}  // namespace

void DecodeOptions(const fb::Operator& in, Operator* op) {
  Undecoded u;
  op->options = Decode(in, &u);
  if (in.builtin_options_2_type() != fb::BuiltinOptions2::NONE) {
    u.Add("BuiltinOptions2 type " + std::to_string(static_cast<int>(in.builtin_options_2_type())));
  }
  op->undecoded_options = u.text();
}

std::pair<fb::BuiltinOptions, flatbuffers::Offset<void>> EncodeOptions(
    flatbuffers::FlatBufferBuilder& fbb, const BuiltinOptions& options) {
  using BO = fb::BuiltinOptions;
  using Out = std::pair<BO, flatbuffers::Offset<void>>;
  return std::visit(
      [&](const auto& o) -> Out {
        using T = std::decay_t<decltype(o)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return {BO::NONE, 0};
        } else if constexpr (std::is_same_v<T, FullyConnectedOptions>) {
          return {BO::FullyConnectedOptions,
                  fb::CreateFullyConnectedOptions(fbb, Act(o.activation),
                                                  fb::FullyConnectedOptionsWeightsFormat::DEFAULT,
                                                  o.keep_num_dims)
                      .Union()};
        } else if constexpr (std::is_same_v<T, Conv2DOptions>) {
          return {BO::Conv2DOptions,
                  fb::CreateConv2DOptions(fbb, Pad(o.padding), o.stride_w, o.stride_h,
                                          Act(o.activation), o.dilation_w, o.dilation_h)
                      .Union()};
        } else if constexpr (std::is_same_v<T, DepthwiseConv2DOptions>) {
          return {BO::DepthwiseConv2DOptions,
                  fb::CreateDepthwiseConv2DOptions(fbb, Pad(o.padding), o.stride_w, o.stride_h,
                                                   o.depth_multiplier, Act(o.activation),
                                                   o.dilation_w, o.dilation_h)
                      .Union()};
        } else if constexpr (std::is_same_v<T, Pool2DOptions>) {
          return {BO::Pool2DOptions,
                  fb::CreatePool2DOptions(fbb, Pad(o.padding), o.stride_w, o.stride_h,
                                          o.filter_width, o.filter_height, Act(o.activation))
                      .Union()};
        } else if constexpr (std::is_same_v<T, SoftmaxOptions>) {
          return {BO::SoftmaxOptions, fb::CreateSoftmaxOptions(fbb, o.beta).Union()};
        } else if constexpr (std::is_same_v<T, ReshapeOptions>) {
          return {BO::ReshapeOptions, fb::CreateReshapeOptionsDirect(fbb, &o.new_shape).Union()};
        } else if constexpr (std::is_same_v<T, AddOptions>) {
          return {BO::AddOptions,
                  fb::CreateAddOptions(fbb, Act(o.activation), o.pot_scale_int16).Union()};
        } else if constexpr (std::is_same_v<T, SubOptions>) {
          return {BO::SubOptions,
                  fb::CreateSubOptions(fbb, Act(o.activation), o.pot_scale_int16).Union()};
        } else if constexpr (std::is_same_v<T, MulOptions>) {
          return {BO::MulOptions, fb::CreateMulOptions(fbb, Act(o.activation)).Union()};
        } else if constexpr (std::is_same_v<T, DivOptions>) {
          return {BO::DivOptions, fb::CreateDivOptions(fbb, Act(o.activation)).Union()};
        } else if constexpr (std::is_same_v<T, ConcatenationOptions>) {
          return {BO::ConcatenationOptions,
                  fb::CreateConcatenationOptions(fbb, o.axis, Act(o.activation)).Union()};
        } else if constexpr (std::is_same_v<T, ReducerOptions>) {
          return {BO::ReducerOptions, fb::CreateReducerOptions(fbb, o.keep_dims).Union()};
        } else if constexpr (std::is_same_v<T, StridedSliceOptions>) {
          return {BO::StridedSliceOptions,
                  fb::CreateStridedSliceOptions(fbb, o.begin_mask, o.end_mask, o.ellipsis_mask,
                                                o.new_axis_mask, o.shrink_axis_mask, o.offset)
                      .Union()};
        } else if constexpr (std::is_same_v<T, SvdfOptions>) {
          return {BO::SVDFOptions, fb::CreateSVDFOptions(fbb, o.rank, Act(o.activation)).Union()};
        } else if constexpr (std::is_same_v<T, CastOptions>) {
          return {BO::CastOptions,
                  fb::CreateCastOptions(fbb, static_cast<fb::TensorType>(o.in_data_type),
                                        static_cast<fb::TensorType>(o.out_data_type))
                      .Union()};
        } else {
          static_assert(std::is_same_v<T, UnidirectionalSequenceLstmOptions>,
                        "every BuiltinOptions alternative needs an encoder");
          return {BO::UnidirectionalSequenceLSTMOptions,
                  fb::CreateUnidirectionalSequenceLSTMOptions(
                      fbb, Act(o.activation), o.cell_clip, o.proj_clip, o.time_major,
                      o.asymmetric_quantize_inputs, o.diagonal_recurrent_tensors)
                      .Union()};
        }
      },
      options);
}

}  // namespace emlkit::tflite
