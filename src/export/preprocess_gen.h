// The preprocessing generator of `emlkit export`: from a model's `emlkit` metadata (its
// "preprocessing", the training data's dataset.json, docs/dataset-json.md) it writes
// NAME_preprocess.h / NAME_preprocess.cc, device code that turns raw sensor rows into the
// model's input exactly as `emlkit data prepare` and data::Preprocessor do (the same bits for
// float records, the same int8 input bytes). The generated code holds the constants (columns,
// clip ranges, filter parameters, scaling, window, statistics) and the state buffers sized for
// this model, and runs the device library runtime/preprocess/preprocess.{h,cc} (listed in
// runtime_files). Its C API (NAME = options.name):
//
//   void NAME_reset(void);                       // a new stream (forget windows and filters)
//   int  NAME_push_row(double t, const float* raw_row, float* features_out);
//   int  NAME_push_row_double(double t, const double* raw_row, float* features_out);
//   int  NAME_push_row_each(double t, const double* raw_row,
//                           void (*on_record)(const float* features, void* user), void* user);
//   void NAME_quantize(const float* features, int8_t* input_out);   // int8 models only
//
// t is seconds since 1970-01-01 (local time; ignored without a timestamp column), raw_row holds
// the NAME_NUM_COLUMNS raw columns in NAME_COLUMN_NAMES order, NaN for a missing value.
// push_row returns the number of records the row completed (0 while the window fills or when
// the row is dropped) and writes the last one (NAME_RECORD_SIZE floats) to features_out.
//
// Offline-only steps get the stand-in data::Preprocessor uses (a centred Hampel filter runs
// causally, interpolation holds the last value, sorting becomes a new segment where time goes
// back); the generated header says so. Build with -ffp-contract=off (preprocess.cc also asks
// the compiler for it) and a libm whose sin/cos match the host's for bit-exact time features.
//
//   EMLKIT_ASSIGN_OR_RETURN(GeneratedSources g, GeneratePreprocessForModel(model, path, "occ"));
#ifndef EMLKIT_EXPORT_PREPROCESS_GEN_H_
#define EMLKIT_EXPORT_PREPROCESS_GEN_H_

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "common/status.h"
#include "export/generated.h"

namespace emlkit::tflite {
struct Model;
}

namespace emlkit::exporter {

struct InputQuantization {  // of an int8 input tensor
  float scale = 1;
  int32_t zero_point = 0;
};

struct PreprocessGenOptions {
  std::string name;  // C identifier: the prefix of the files, functions and macros
  // For the banner: the model file's name and the hex SHA-256 of its bytes.
  std::string model_file = "model.tflite";
  std::string model_sha256;
  // The model's input when it is int8 (adds NAME_quantize); empty for a float input.
  std::optional<InputQuantization> input_int8;
};

// From the metadata object (docs/model-metadata.md). Errors (InvalidArgument, exit code 2) name
// `where` and the step or key at fault: no "preprocessing", a step the device code does not
// implement, a bad name, a record size that does not match `input_shape`.
Result<GeneratedSources> GeneratePreprocess(const nlohmann::json& metadata,
                                            const PreprocessGenOptions& options,
                                            const std::string& where);

// The same from a model: its emlkit metadata and, for an int8 input, the input's quantization.
// `model_path` is used in messages and the banner; `model_sha256` may be empty.
Result<GeneratedSources> GeneratePreprocessForModel(const tflite::Model& model,
                                                    const std::string& model_path,
                                                    const std::string& name,
                                                    const std::string& model_sha256 = "");

}  // namespace emlkit::exporter

#endif  // EMLKIT_EXPORT_PREPROCESS_GEN_H_
