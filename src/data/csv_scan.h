// The record scanner under CsvReader: splits bytes into records and fields (RFC 4180 quoting),
// tracks physical lines for messages, and rejects what is not CSV text. Internal to csv_reader.
//
// Rules: fields are separated by one delimiter byte; a field that starts with '"' is quoted and
// may contain delimiters, newlines and doubled quotes ("" stands for one "); a quote anywhere else
// is an error. Records end at LF or CRLF (a final record may lack it). Empty lines are skipped.
// Control bytes other than tab, CR and LF (e.g. NUL) mean the input is not text: an error.
// No allocation per field: quoted fields with doubled quotes are unescaped into one reused
// scratch string; every other field is a view into the input.
#ifndef EMLKIT_DATA_CSV_SCAN_H_
#define EMLKIT_DATA_CSV_SCAN_H_

#include <array>
#include <cstdint>
#include <cstring>
#include <string>

namespace emlkit::data::csv_internal {

enum : uint8_t { kPlain = 0, kDelim, kQuote, kLf, kCr, kBad };

// Byte classes for one delimiter.
struct ByteClasses {
  std::array<uint8_t, 256> cls{};
  explicit ByteClasses(char delim) {
    for (int c = 0; c < 32; ++c) cls[c] = kBad;
    cls['\t'] = kPlain;
    cls[0x7f] = kBad;
    cls['\n'] = kLf;
    cls['\r'] = kCr;
    cls['"'] = kQuote;
    cls[static_cast<uint8_t>(delim)] = kDelim;
  }
};

// Where a problem is, relative to the start of the scanned block, and what it is.
struct ScanError {
  int64_t line = 0;    // 0-based line within the block
  int64_t column = 0;  // 1-based byte column within that line
  std::string message;
};

struct ScanState {
  const char* p = nullptr;
  const char* end = nullptr;
  int64_t line = 0;                    // 0-based line of p within the block
  const char* line_start = nullptr;    // first byte of the line holding p
  std::string scratch;                 // unescaped text of the current quoted field
  const char* record_start = nullptr;  // set by ScanRecord: where the record begins
  int64_t record_line = 0;             // set by ScanRecord: its 0-based line in the block
  ScanError error;
};

enum class ScanResult { kRecord, kEnd, kError };

inline std::string DescribeByte(unsigned char c) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string s = "byte 0x";
  s += kHex[c >> 4];
  s += kHex[c & 15];
  return s;
}

// Scans one record at s.p, skipping empty lines first. For every field calls
//   on_field(int index, const char* begin, const char* end, const char* field_start)
// (begin/end: the field text, unquoted; field_start: where the field starts in the input, for
// columns in messages). Sets *fields to the number of fields. On kError, s.error is filled.
template <typename OnField>
ScanResult ScanRecord(ScanState& s, const ByteClasses& bc, int* fields, OnField&& on_field) {
  const uint8_t* cls = bc.cls.data();
  // Skip empty lines.
  for (;;) {
    if (s.p == s.end) return ScanResult::kEnd;
    if (*s.p == '\n') {
      ++s.p;
    } else if (*s.p == '\r' && s.p + 1 < s.end && s.p[1] == '\n') {
      s.p += 2;
    } else {
      break;
    }
    ++s.line;
    s.line_start = s.p;
  }
  s.record_start = s.p;
  s.record_line = s.line;
  auto fail = [&](const char* at, std::string msg) {
    s.error.line = s.line;
    s.error.column = at - s.line_start + 1;
    s.error.message = std::move(msg);
    return ScanResult::kError;
  };
  int index = 0;
  const char* p = s.p;
  const char* const end = s.end;
  for (;;) {
    const char* fb = p;
    if (p < end && *p == '"') {
      // Quoted field.
      const int64_t open_line = s.line;
      const char* const open_line_start = s.line_start;
      const char* seg = ++p;
      bool escaped = false;
      for (;;) {
        const char* q = static_cast<const char*>(std::memchr(p, '"', static_cast<size_t>(end - p)));
        const char* stop = q ? q : end;
        for (const char* c = p; c < stop; ++c) {
          uint8_t k = cls[static_cast<uint8_t>(*c)];
          if (k == kLf) {
            ++s.line;
            s.line_start = c + 1;
          } else if (k == kBad) {
            return fail(c, DescribeByte(static_cast<unsigned char>(*c)) +
                               " inside a quoted field is not text; is this a CSV file?");
          }
        }
        if (!q) {
          s.line = open_line;
          s.line_start = open_line_start;
          return fail(fb,
                      "unterminated quote: this field opens with '\"' that is never closed; "
                      "close it or remove the stray quote");
        }
        if (q + 1 < end && q[1] == '"') {  // doubled quote stands for one
          if (!escaped) s.scratch.clear();
          s.scratch.append(seg, static_cast<size_t>(q + 1 - seg));
          escaped = true;
          p = seg = q + 2;
          continue;
        }
        const char* tb = seg;
        const char* te = q;
        if (escaped) {
          s.scratch.append(seg, static_cast<size_t>(q - seg));
          tb = s.scratch.data();
          te = tb + s.scratch.size();
        }
        p = q + 1;
        while (p < end && (*p == ' ' || *p == '\t')) ++p;
        on_field(index, tb, te, fb);
        ++index;
        break;
      }
      if (p == end) break;
      uint8_t k = cls[static_cast<uint8_t>(*p)];
      if (k == kDelim) {
        ++p;
        continue;
      }
      if (k == kLf) {
        ++p;
        ++s.line;
        s.line_start = p;
        break;
      }
      if (k == kCr && p + 1 < end && p[1] == '\n') {
        p += 2;
        ++s.line;
        s.line_start = p;
        break;
      }
      return fail(p, std::string("unexpected '") + *p +
                         "' after a closing quote; a quoted field must end at a delimiter or "
                         "the end of the line");
    }
    // Unquoted field.
    for (;;) {
      if (p == end) {
        on_field(index, fb, p, fb);
        ++index;
        goto record_done;
      }
      uint8_t k = cls[static_cast<uint8_t>(*p)];
      if (k == kPlain) {
        ++p;
        continue;
      }
      if (k == kDelim) {
        on_field(index, fb, p, fb);
        ++index;
        ++p;
        break;  // next field
      }
      if (k == kLf) {
        on_field(index, fb, p, fb);
        ++index;
        ++p;
        ++s.line;
        s.line_start = p;
        goto record_done;
      }
      if (k == kCr) {
        if (p + 1 < end && p[1] == '\n') {
          on_field(index, fb, p, fb);
          ++index;
          p += 2;
          ++s.line;
          s.line_start = p;
          goto record_done;
        }
        if (p + 1 == end) {
          on_field(index, fb, p, fb);
          ++index;
          ++p;
          goto record_done;
        }
        return fail(p, "carriage return (CR) inside a line; convert old Mac line ends to LF");
      }
      if (k == kQuote) {
        return fail(p,
                    "quote inside an unquoted field; quote the whole field (\"...\") and "
                    "double any quote inside it");
      }
      return fail(
          p, DescribeByte(static_cast<unsigned char>(*p)) + " is not text; is this a CSV file?");
    }
  }
record_done:
  s.p = p;
  *fields = index;
  return ScanResult::kRecord;
}

// The offset just past the last complete record in [p, p+n) given that p starts a record
// (quote state outside); 0 if there is none.
inline size_t LastRecordEnd(const char* p, size_t n) {
  if (!std::memchr(p, '"', n)) {
    for (size_t i = n; i > 0; --i)
      if (p[i - 1] == '\n') return i;
    return 0;
  }
  bool in_quote = false;
  size_t last = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = p[i];
    if (c == '"') in_quote = !in_quote;
    if (c == '\n' && !in_quote) last = i + 1;
  }
  return last;
}

}  // namespace emlkit::data::csv_internal

#endif  // EMLKIT_DATA_CSV_SCAN_H_
