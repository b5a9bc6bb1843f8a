#include "common/npy.h"

#include <cstring>
#include <string_view>

#include "common/fs.h"

namespace emlkit {
namespace {

struct DTypeInfo {
  DType type;
  const char* name;
  const char* descr;  // numpy's descr string written by SerializeNpy
  size_t size;
};

constexpr DTypeInfo kDTypes[] = {
    {DType::kFloat32, "float32", "<f4", 4}, {DType::kFloat64, "float64", "<f8", 8},
    {DType::kInt8, "int8", "|i1", 1},       {DType::kUInt8, "uint8", "|u1", 1},
    {DType::kInt16, "int16", "<i2", 2},     {DType::kInt32, "int32", "<i4", 4},
    {DType::kInt64, "int64", "<i8", 8},     {DType::kBool, "bool", "|b1", 1},
};

const DTypeInfo& Info(DType t) {
  for (const auto& i : kDTypes)
    if (i.type == t) return i;
  return kDTypes[0];
}

bool ParseDescr(std::string_view d, DType* out) {
  // Accept the explicit forms numpy writes plus native '=' on this little-endian host.
  if (d.size() != 3) return false;
  char order = d[0];
  if (order != '<' && order != '|' && order != '=') return false;
  std::string_view code = d.substr(1);
  for (const auto& i : kDTypes) {
    if (std::string_view(i.descr).substr(1) == code) {
      *out = i.type;
      return true;
    }
  }
  return false;
}

// Finds the value text after 'key': in a Python dict literal header.
bool FindValue(std::string_view header, std::string_view key, std::string_view* value) {
  std::string quoted1;
  quoted1.reserve(key.size() + 2);
  quoted1.push_back('\'');
  quoted1.append(key);
  quoted1.push_back('\'');
  size_t pos = header.find(quoted1);
  if (pos == std::string_view::npos) return false;
  pos = header.find(':', pos + quoted1.size());
  if (pos == std::string_view::npos) return false;
  *value = header.substr(pos + 1);
  while (!value->empty() && value->front() == ' ') value->remove_prefix(1);
  return true;
}

}  // namespace

size_t DTypeSize(DType t) { return Info(t).size; }
const char* DTypeName(DType t) { return Info(t).name; }

bool ParseDTypeName(const std::string& name, DType* out) {
  for (const auto& i : kDTypes) {
    if (name == i.name) {
      *out = i.type;
      return true;
    }
  }
  return false;
}

NpyArray NpyArray::Zeros(DType dtype, std::vector<int64_t> shape) {
  NpyArray a;
  a.dtype_ = dtype;
  a.shape_ = std::move(shape);
  a.bytes_.assign(static_cast<size_t>(a.num_elements()) * DTypeSize(dtype), 0);
  return a;
}

int64_t NpyArray::num_elements() const {
  int64_t n = 1;
  for (int64_t d : shape_) n *= d;
  return n;
}

int64_t NpyArray::record_elements() const {
  int64_t n = 1;
  for (size_t i = 1; i < shape_.size(); ++i) n *= shape_[i];
  return n;
}

Result<NpyArray> ParseNpy(const uint8_t* data, size_t size, const std::string& name) {
  auto bad = [&](const std::string& what) {
    return Status::Corruption(name + ": not a readable .npy file: " + what +
                              " (write it with numpy.save or emlkit)");
  };
  if (size < 10 || std::memcmp(data, "\x93NUMPY", 6) != 0)
    return bad("missing the \\x93NUMPY magic");
  uint8_t major = data[6];
  size_t header_len = 0, header_start = 0;
  if (major == 1) {
    header_len = data[8] | (static_cast<size_t>(data[9]) << 8);
    header_start = 10;
  } else if (major == 2 || major == 3) {
    if (size < 12) return bad("truncated header");
    header_len = data[8] | (static_cast<size_t>(data[9]) << 8) |
                 (static_cast<size_t>(data[10]) << 16) | (static_cast<size_t>(data[11]) << 24);
    header_start = 12;
  } else {
    return bad("format version " + std::to_string(major) + " is not supported");
  }
  if (header_len > size - header_start) return bad("header runs past the end of the file");
  std::string_view header(reinterpret_cast<const char*>(data + header_start), header_len);

  std::string_view v;
  if (!FindValue(header, "descr", &v) || v.size() < 2 || v[0] != '\'')
    return bad("header has no 'descr'");
  size_t end = v.find('\'', 1);
  if (end == std::string_view::npos) return bad("unterminated 'descr'");
  DType dtype;
  if (!ParseDescr(v.substr(1, end - 1), &dtype))
    return Status::Unsupported(name + ": dtype '" + std::string(v.substr(1, end - 1)) +
                               "' is not supported (use little-endian float32/64, int8/16/32/64, "
                               "uint8 or bool)");
  if (!FindValue(header, "fortran_order", &v)) return bad("header has no 'fortran_order'");
  if (v.substr(0, 4) == "True")
    return Status::Unsupported(name +
                               ": Fortran-order arrays are not supported; save with "
                               "numpy.ascontiguousarray first");
  if (!FindValue(header, "shape", &v) || v.empty() || v[0] != '(')
    return bad("header has no 'shape'");
  size_t close = v.find(')');
  if (close == std::string_view::npos) return bad("unterminated 'shape'");
  std::vector<int64_t> shape;
  std::string_view dims = v.substr(1, close - 1);
  size_t i = 0;
  while (i < dims.size()) {
    while (i < dims.size() && (dims[i] == ' ' || dims[i] == ',')) ++i;
    if (i >= dims.size()) break;
    int64_t d = 0;
    size_t start = i;
    while (i < dims.size() && dims[i] >= '0' && dims[i] <= '9') {
      if (d > (int64_t{1} << 40)) return bad("a dimension is too large");
      d = d * 10 + (dims[i] - '0');
      ++i;
    }
    if (i == start) return bad("shape has a non-numeric dimension");
    shape.push_back(d);
  }
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d != 0 && n > (int64_t{1} << 40) / d) return bad("shape is too large");
    n *= d;
  }
  size_t payload = static_cast<size_t>(n) * DTypeSize(dtype);
  size_t offset = header_start + header_len;
  if (size - offset != payload)
    return bad("shape says " + std::to_string(payload) + " data bytes but the file has " +
               std::to_string(size - offset));
  NpyArray out = NpyArray::Zeros(dtype, shape);
  if (payload) std::memcpy(out.raw(), data + offset, payload);
  return out;
}

Result<NpyArray> ReadNpy(const std::string& path) {
  EMLKIT_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, ReadFileBytes(path));
  return ParseNpy(bytes.data(), bytes.size(), path);
}

std::vector<uint8_t> SerializeNpy(const NpyArray& array) {
  std::string header = "{'descr': '";
  header += Info(array.dtype()).descr;
  header += "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < array.shape().size(); ++i) {
    header += std::to_string(array.shape()[i]);
    if (array.shape().size() == 1 || i + 1 < array.shape().size()) header += ",";
    if (i + 1 < array.shape().size()) header += " ";
  }
  header += "), }";
  size_t total = 10 + header.size() + 1;
  size_t padded = (total + 63) / 64 * 64;
  header.append(padded - total, ' ');
  header += '\n';
  // Built with resize + memcpy: gcc 12 mis-warns (-Wstringop-overflow) on vector::insert here.
  std::vector<uint8_t> out(10 + header.size() + array.num_bytes());
  std::memcpy(out.data(), "\x93NUMPY\x01\x00", 8);
  out[8] = static_cast<uint8_t>(header.size() & 0xff);
  out[9] = static_cast<uint8_t>(header.size() >> 8);
  std::memcpy(out.data() + 10, header.data(), header.size());
  if (array.num_bytes())
    std::memcpy(out.data() + 10 + header.size(), array.raw(), array.num_bytes());
  return out;
}

Status WriteNpy(const std::string& path, const NpyArray& array) {
  std::vector<uint8_t> bytes = SerializeNpy(array);
  return WriteFileAtomic(path, bytes.data(), bytes.size());
}

}  // namespace emlkit
