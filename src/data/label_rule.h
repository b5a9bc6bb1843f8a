// Labels from a rule: a tiny boolean language over columns, evaluated on each row of a segment.
//
//   rule    := or
//   or      := and ("or" and)*
//   and     := unary ("and" unary)*
//   unary   := "not" unary | primary
//   primary := "(" rule ")" | ("any" | "all") "(" rule "," N ")" | column OP number
//   OP      := > >= < <= == !=
//   column  := a name made of letters, digits, _ and . (not starting with a digit), or any name
//              in double quotes
//
// any(r, N) is true at a row if r is true at that row or any of the N-1 rows before it (within
// the segment); all(r, N) if r is true at all of them (fewer at the start of a segment).
// A comparison with a missing value is false. Examples:
//   any(motion > 0, 5)                 occupied if motion in any of the last 5 rows
//   CO2 > 800 and not (Light < 50)
// Errors name the character: "--label-rule:1:9: unknown column 'motoin' (columns: ...)".
#ifndef EMLKIT_DATA_LABEL_RULE_H_
#define EMLKIT_DATA_LABEL_RULE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace emlkit::data {

class LabelRule {
 public:
  // Parses `text`; `origin` names where it came from in messages ("--label-rule" or
  // "cfg.toml:4:1"). Column names are checked later by Bind().
  static Result<LabelRule> Parse(const std::string& text, const std::string& origin);

  // Columns the rule reads, in order of first use.
  const std::vector<std::string>& columns() const { return columns_; }
  // Checks every column exists in `available`; errors point at the name in the rule.
  Status Bind(const std::vector<std::string>& available) const;

  // Evaluates over one segment: cols[k] holds the values of columns()[k] for the rows in
  // order. Returns 0/1 per row.
  std::vector<uint8_t> Evaluate(const std::vector<const std::vector<double>*>& cols) const;

  struct Node;

 private:
  std::shared_ptr<const Node> root_;
  std::vector<std::string> columns_;
  std::vector<size_t> column_pos_;  // where each column is first named (0-based)
  std::string text_, origin_;
};

}  // namespace emlkit::data

#endif  // EMLKIT_DATA_LABEL_RULE_H_
