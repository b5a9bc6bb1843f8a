#include "src/flatbuffer.h"

namespace emlkit {
namespace rt {
namespace fb {

bool Vector::At(Bytes b, uint64_t pos, uint32_t elem_size, Vector* out) {
  uint32_t len = 0;
  if (!b.Read(pos, &len)) return false;
  if (!b.Has(pos + 4, static_cast<uint64_t>(len) * elem_size)) return false;
  out->b_ = b;
  out->pos_ = static_cast<uint32_t>(pos);
  out->len_ = len;
  return true;
}

bool Vector::TablePos(uint32_t i, uint32_t* table_pos) const {
  if (i >= len_) return false;
  const uint64_t elem = pos_ + 4 + static_cast<uint64_t>(i) * 4;
  uint32_t rel = 0;
  if (!b_.Read(elem, &rel)) return false;
  const uint64_t target = elem + rel;
  if (target >= b_.size) return false;
  *table_pos = static_cast<uint32_t>(target);
  return true;
}

bool Table::At(Bytes b, uint64_t pos, Table* out) {
  int32_t soffset = 0;
  if (!b.Read(pos, &soffset)) return false;
  const int64_t vt = static_cast<int64_t>(pos) - soffset;
  if (vt < 0) return false;
  uint16_t vt_len = 0, table_len = 0;
  if (!b.Read(static_cast<uint64_t>(vt), &vt_len)) return false;
  if (!b.Read(static_cast<uint64_t>(vt) + 2, &table_len)) return false;
  if (vt_len < 4 || (vt_len & 1) != 0) return false;
  if (!b.Has(static_cast<uint64_t>(vt), vt_len)) return false;
  if (table_len < 4 || !b.Has(pos, table_len)) return false;
  out->b_ = b;
  out->pos_ = static_cast<uint32_t>(pos);
  out->vt_ = static_cast<uint32_t>(vt);
  out->vt_len_ = vt_len;
  out->table_len_ = table_len;
  return true;
}

uint32_t Table::FieldPos(int id, uint32_t size, bool* bad) const {
  const uint32_t entry = 4 + 2 * static_cast<uint32_t>(id);
  if (entry + 2 > vt_len_) return 0;  // field newer than the writer: absent
  uint16_t off = 0;
  memcpy(&off, b_.data + vt_ + entry, 2);
  if (off == 0) return 0;
  if (off < 4 || static_cast<uint32_t>(off) + size > table_len_) {
    *bad = true;
    return 0;
  }
  return pos_ + off;
}

bool Table::Target(int id, uint32_t* target, bool* present) const {
  bool bad = false;
  const uint32_t p = FieldPos(id, 4, &bad);
  if (bad) return false;
  *present = p != 0;
  if (p == 0) return true;
  uint32_t rel = 0;
  if (!b_.Read(p, &rel)) return false;
  const uint64_t t = static_cast<uint64_t>(p) + rel;
  if (t >= b_.size) return false;
  *target = static_cast<uint32_t>(t);
  return true;
}

bool Table::Sub(int id, Table* out, bool* present) const {
  uint32_t t = 0;
  if (!Target(id, &t, present)) return false;
  if (!*present) return true;
  return Table::At(b_, t, out);
}

bool Table::Vec(int id, uint32_t elem_size, Vector* out, bool* present) const {
  uint32_t t = 0;
  if (!Target(id, &t, present)) return false;
  if (!*present) {
    out->Clear();
    return true;
  }
  return Vector::At(b_, t, elem_size, out);
}

bool Table::Str(int id, const char** chars, uint32_t* len) const {
  Vector v;
  bool present = false;
  if (!Vec(id, 1, &v, &present)) return false;
  if (!present) {
    *chars = "";
    *len = 0;
    return true;
  }
  *chars = reinterpret_cast<const char*>(v.data());
  *len = v.size();
  return true;
}

}  // namespace fb
}  // namespace rt
}  // namespace emlkit
