// Bounds-checked reading of FlatBuffers binaries, in place (the bytes may be in flash).
//
// Every accessor checks that what it reads lies inside the buffer before reading it, and reads
// through memcpy, so misaligned or hostile offsets can never cause an out-of-bounds or misaligned
// access. Accessors return false (or an invalid object) on anything malformed; callers turn that
// into a kCorruptModel status naming what they were reading.
//
// FlatBuffers layout reminder: a table starts with an int32 offset back to its vtable; the vtable
// holds uint16 [vtable bytes, table bytes, field offsets...]; offset fields hold a uint32 relative
// to their own position; vectors are a uint32 count followed by the elements.
#ifndef EMLKIT_RUNTIME_SRC_FLATBUFFER_H_
#define EMLKIT_RUNTIME_SRC_FLATBUFFER_H_

#include <stddef.h>
#include <stdint.h>
#include <string.h>

namespace emlkit {
namespace rt {
namespace fb {

// A view of the whole buffer. Sizes are limited to < 2 GiB (checked by the model reader).
struct Bytes {
  const uint8_t* data;
  uint32_t size;

  bool Has(uint64_t pos, uint64_t len) const { return pos <= size && len <= size - pos; }
  template <typename T>
  bool Read(uint64_t pos, T* out) const {
    if (!Has(pos, sizeof(T))) return false;
    memcpy(out, data + pos, sizeof(T));
    return true;
  }
  // A bool is any byte: nonzero is true (copying a byte other than 0/1 into a bool is undefined).
  bool Read(uint64_t pos, bool* out) const {
    uint8_t v = 0;
    if (!Read(pos, &v)) return false;
    *out = v != 0;
    return true;
  }
};

// A vector whose header (length) and elements are known to be inside the buffer. Trivially
// constructible (a default-constructed Vector is uninitialized: `Vec` and `At` fill it; on -Os
// MCU builds zero-initializing these small objects costs a byte-wise memset call each).
class Vector {
 public:
  Vector() = default;
  // The empty vector (what an absent field reads as).
  void Clear() {
    b_.data = nullptr;
    b_.size = 0;
    pos_ = 0;
    len_ = 0;
  }
  // Checks that a vector of `elem_size`-byte elements starts at `pos` and fits.
  static bool At(Bytes b, uint64_t pos, uint32_t elem_size, Vector* out);

  bool valid() const { return b_.data != nullptr; }
  uint32_t size() const { return len_; }
  // Position of the first element (for raw data such as buffers).
  uint32_t data_pos() const { return pos_ + 4; }
  const uint8_t* data() const { return b_.data + pos_ + 4; }

  // Element i of a scalar vector; `i` must be < size() (checked, returns false otherwise).
  template <typename T>
  bool Get(uint32_t i, T* out) const {
    if (i >= len_) return false;
    memcpy(out, b_.data + pos_ + 4 + static_cast<uint64_t>(i) * sizeof(T), sizeof(T));
    return true;
  }
  // Position of the table that element i (a uint32 offset) points to; false if out of bounds.
  bool TablePos(uint32_t i, uint32_t* table_pos) const;

 private:
  Bytes b_;
  uint32_t pos_;
  uint32_t len_;
};

// A table whose vtable has been checked to lie inside the buffer. Trivially constructible, as
// Vector: `At` and `Sub` (when present) fill it.
class Table {
 public:
  Table() = default;
  // Checks the table header and vtable at `pos`.
  static bool At(Bytes b, uint64_t pos, Table* out);

  bool valid() const { return b_.data != nullptr; }
  Bytes bytes() const { return b_; }

  // Position of field `id` if present and `size` bytes fit inside the table; 0 if absent.
  // Sets *bad when the field is present but does not fit (a corrupt table).
  uint32_t FieldPos(int id, uint32_t size, bool* bad) const;

  // Scalar field with default; returns false if the field is present but malformed.
  template <typename T>
  bool Scalar(int id, T def, T* out) const {
    bool bad = false;
    uint32_t p = FieldPos(id, sizeof(T), &bad);
    if (bad) return false;
    if (p == 0) {
      *out = def;
      return true;
    }
    return b_.Read(p, out);
  }
  // Offset field pointing at a table. Absent: *present=false, returns true.
  bool Sub(int id, Table* out, bool* present) const;
  // Offset field pointing at a vector of `elem_size` elements. Absent: empty, returns true.
  bool Vec(int id, uint32_t elem_size, Vector* out, bool* present) const;
  // String field (a byte vector). Absent: empty string, returns true.
  bool Str(int id, const char** chars, uint32_t* len) const;

 private:
  bool Target(int id, uint32_t* target, bool* present) const;

  Bytes b_;
  uint32_t pos_;
  uint32_t vt_;
  uint16_t vt_len_;
  uint16_t table_len_;
};

}  // namespace fb
}  // namespace rt
}  // namespace emlkit

#endif  // EMLKIT_RUNTIME_SRC_FLATBUFFER_H_
