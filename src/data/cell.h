// One CSV field classified and converted: the unit both `data inspect` (type inference) and
// `data prepare` (strict conversion) work on.
//
// Rules (documented for users in README.md, `emlkit data inspect`):
//   - surrounding spaces and tabs are ignored;
//   - empty, NA, N/A, n/a, NaN, nan, -NaN, NULL, null, None, #N/A, <NA>, - (exactly these
//     spellings) : missing;
//   - inf, -inf, Infinity (any case) : non-finite (treated like a missing value by prepare's
//     --missing policy, reported separately by inspect);
//   - a decimal number (strtod syntax without hex, optional leading '+') : number; it is also
//     integral when it has no '.', 'e' or 'E' and fits 2^53;
//   - true/false (any case) : boolean (1/0);
//   - a timestamp as in timestamp.h : timestamp (seconds since 1970, UTC);
//   - anything else : text.
#ifndef EMLKIT_DATA_CELL_H_
#define EMLKIT_DATA_CELL_H_

#include <cstdint>
#include <string_view>

namespace emlkit::data {

enum class CellKind : uint8_t {
  kMissing = 0,
  kNonFinite,  // inf / -inf written in the file
  kInteger,    // a number without fraction or exponent
  kNumber,     // any other finite number
  kBool,       // true / false
  kTimestamp,
  kText,
};
inline constexpr int kNumCellKinds = 7;
const char* CellKindName(CellKind k);

inline bool IsNumeric(CellKind k) { return k == CellKind::kInteger || k == CellKind::kNumber; }

// Classifies the field text [b, e) (not unquoted/unescaped here: quotes are the tokenizer's job)
// and stores its numeric value in *value: the number, 1/0 for booleans, seconds for timestamps,
// +-inf for non-finite, NaN for missing and text.
CellKind ParseCell(const char* b, const char* e, double* value);

// Trims spaces and tabs from both ends of [*b, *e).
inline void TrimSpaces(const char** b, const char** e) {
  while (*b < *e && (**b == ' ' || **b == '\t')) ++*b;
  while (*e > *b && ((*e)[-1] == ' ' || (*e)[-1] == '\t')) --*e;
}

}  // namespace emlkit::data

#endif  // EMLKIT_DATA_CELL_H_
