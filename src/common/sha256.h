// SHA-256 (FIPS 180-4), streaming. Used to fingerprint input files in dataset.json.
//   Sha256 h; h.Update(p, n); std::string hex = h.HexDigest();
#ifndef EMLKIT_COMMON_SHA256_H_
#define EMLKIT_COMMON_SHA256_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/status.h"

namespace emlkit {

class Sha256 {
 public:
  Sha256();
  void Update(const void* data, size_t size);
  // Finishes the hash; the object must not be updated afterwards.
  std::array<uint8_t, 32> Digest();
  std::string HexDigest();

 private:
  void Block(const uint8_t* p);
  uint32_t h_[8];
  uint8_t buf_[64];
  size_t buf_len_ = 0;
  uint64_t total_ = 0;
};

// Hex SHA-256 of a file's bytes, read in chunks.
Result<std::string> Sha256File(const std::string& path);

}  // namespace emlkit

#endif  // EMLKIT_COMMON_SHA256_H_
