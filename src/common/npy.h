// NumPy .npy files (format version 1.0 / 2.0, little-endian, C order): the exchange format for
// data sets (X_train.npy, y_train.npy, ...) and model inputs/outputs (`emlkit invoke`).
//
// Example:
//   NpyArray x = NpyArray::Zeros(DType::kFloat32, {100, 5});
//   x.data<float>()[0] = 1.5f;
//   EMLKIT_RETURN_IF_ERROR(WriteNpy("X.npy", x));   // atomic: temp file + rename
//   EMLKIT_ASSIGN_OR_RETURN(NpyArray y, ReadNpy("X.npy"));
#ifndef EMLKIT_COMMON_NPY_H_
#define EMLKIT_COMMON_NPY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace emlkit {

enum class DType { kFloat32, kFloat64, kInt8, kUInt8, kInt16, kInt32, kInt64, kBool };

// Bytes per element.
size_t DTypeSize(DType t);
// "float32", "int8", ... (the names numpy and emlkit's JSON outputs use).
const char* DTypeName(DType t);
// Parses a name from DTypeName; false if unknown.
bool ParseDTypeName(const std::string& name, DType* out);

// A dense, C-ordered array that owns its bytes.
class NpyArray {
 public:
  NpyArray() = default;
  static NpyArray Zeros(DType dtype, std::vector<int64_t> shape);

  DType dtype() const { return dtype_; }
  const std::vector<int64_t>& shape() const { return shape_; }
  // Product of the shape (1 for a scalar, 0 if any dimension is 0).
  int64_t num_elements() const;
  size_t num_bytes() const { return bytes_.size(); }
  // Elements per record: the product of all dimensions but the first (1 for 1-D arrays).
  int64_t record_elements() const;
  int64_t records() const { return shape_.empty() ? 1 : shape_[0]; }

  template <typename T>
  T* data() {
    return reinterpret_cast<T*>(bytes_.data());
  }
  template <typename T>
  const T* data() const {
    return reinterpret_cast<const T*>(bytes_.data());
  }
  uint8_t* raw() { return bytes_.data(); }
  const uint8_t* raw() const { return bytes_.data(); }

 private:
  DType dtype_ = DType::kFloat32;
  std::vector<int64_t> shape_;
  std::vector<uint8_t> bytes_;
};

// Reads a whole .npy file. Errors name the file and what is wrong (bad magic, big-endian or
// Fortran-order data, an unsupported dtype, a size that disagrees with the shape).
Result<NpyArray> ReadNpy(const std::string& path);
// Parses .npy bytes already in memory; `name` is used in error messages.
Result<NpyArray> ParseNpy(const uint8_t* data, size_t size, const std::string& name);
// Serializes to .npy bytes (version 1.0, header padded to a multiple of 64 bytes).
std::vector<uint8_t> SerializeNpy(const NpyArray& array);
// Writes atomically (temporary file in the same folder, then rename).
Status WriteNpy(const std::string& path, const NpyArray& array);

}  // namespace emlkit

#endif  // EMLKIT_COMMON_NPY_H_
