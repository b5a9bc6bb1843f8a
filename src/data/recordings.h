// Recordings: the pieces of input a data set is made of when one file holds many takes (the
// Arduino gesture capture: 119-row recordings one after another, blank-line separated or not).
//
// This header holds what `data prepare` needs around them that is not cleaning:
//   * the forms of an input argument: `PATH`, `PATH:LABEL` (every row of the file is class
//     LABEL) and glob patterns (`data/*.csv`, expanded in sorted order), with --label-from
//     filename (the file name up to its first '.': `punch.3.csv` -> `punch`) or dirname (the
//     folder holding the file: `data/punch/a.csv` -> `punch`);
//   * sizes given as rows (`119`) or as time (`1s`, `250ms`, `2min`) and rates (`119Hz`);
//   * the group split: whole groups (recordings, or the values of --group) go to train,
//     validation or test, stratified by the groups' majority class.
#ifndef EMLKIT_DATA_RECORDINGS_H_
#define EMLKIT_DATA_RECORDINGS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace emlkit::data {

struct InputSpec {
  std::string path;
  std::string label;  // "" = no label from the file
};

// Splits `PATH:LABEL` at its last ':' when the whole argument is not an existing file and the
// part after the ':' holds no '/'. Otherwise the label is "".
InputSpec SplitInputLabel(const std::string& arg);

// Expands the arguments (globs sorted; a pattern matching nothing is an error) and attaches the
// labels (`:LABEL`, else from `label_from` = filename | dirname, else ""). `origin` names the
// flag in messages.
Result<std::vector<InputSpec>> ExpandInputs(const std::vector<std::string>& args,
                                            const std::string& label_from,
                                            const std::string& origin);

// "119" -> rows 119, seconds 0; "1s" / "250ms" / "2min" / "0.5 s" -> rows 0, seconds. The value
// must be > 0. Messages name `what` and give the accepted forms.
Status ParseRowsOrDuration(const std::string& text, const std::string& what, int64_t* rows,
                           double* seconds);
// "119Hz", "119 Hz", "1kHz" or "119" -> Hz (> 0).
Status ParseRate(const std::string& text, const std::string& what, double* hz);
// "1s" -> "1 s", 0.25 -> "250 ms": a duration for messages.
std::string FormatDuration(double seconds);

// The group split. `group_label[g]` is group g's majority class (or 0 without classes),
// `classes` the number of classes. Per class, the groups are shuffled with Rng(seed) and the
// first round(n*test) go to test, the next round(n*val) to validation, the rest to train; a
// class with at least 3 groups (2 when one of the fractions is 0) gives every split whose
// fraction is > 0 at least one group and keeps at least one for train. Returns the split of
// each group (0 train, 1 val, 2 test).
std::vector<int> SplitGroups(const std::vector<int32_t>& group_label, size_t classes, double val,
                             double test, uint64_t seed);

}  // namespace emlkit::data

#endif  // EMLKIT_DATA_RECORDINGS_H_
