// The lines a board sends: numbers separated by commas, tabs or spaces, one sample per line,
// optionally preceded by a header line naming the columns (what Serial.print loops write).
//
//   ParsedLine p = ParseLine("0.12,-0.98,9.81");  // kValues {0.12, -0.98, 9.81}
//   ParsedLine h = ParseLine("aX aY aZ");         // kHeader {"aX", "aY", "aZ"}
//
// A field that is empty ("1,,3") or reads "nan" is a missing value (NaN). Leading and trailing
// white space and a trailing '\r' are ignored. A line mixing numbers and words, or holding a
// control character (line noise, a wrong baud rate), is malformed.
#ifndef EMLKIT_COLLECT_LINE_FORMAT_H_
#define EMLKIT_COLLECT_LINE_FORMAT_H_

#include <string>
#include <string_view>
#include <vector>

namespace emlkit::collect {

struct ParsedLine {
  enum class Kind { kEmpty, kValues, kHeader, kMalformed };
  Kind kind = Kind::kEmpty;
  std::vector<double> values;      // kValues
  std::vector<std::string> names;  // kHeader
};

ParsedLine ParseLine(std::string_view line);

// Up to `max` characters of `line` with control and non-ASCII bytes shown as '?', for messages.
std::string Printable(std::string_view line, size_t max = 60);

}  // namespace emlkit::collect

#endif  // EMLKIT_COLLECT_LINE_FORMAT_H_
