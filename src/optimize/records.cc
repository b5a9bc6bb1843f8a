#include "optimize/records.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "common/rng.h"

namespace emlkit::optimize {
namespace {

int64_t Elements(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::string ShapeText(const std::vector<int64_t>& shape) {
  return fmt::format("[{}]", fmt::join(shape, ", "));
}

std::string InputText(const tflite::Runner& model, int i) {
  const tflite::RunnerTensor& t = model.input(i);
  return fmt::format("input {} '{}' ({} {})", i, t.name, t.type, ShapeText(t.shape));
}

// Checks that records of `a` fit model input i.
Status CheckFits(const NpyArray& a, const tflite::Runner& model, int i, const std::string& what) {
  const tflite::RunnerTensor& t = model.input(i);
  if (a.dtype() != DType::kFloat32) {
    return Status::InvalidArgument(
        fmt::format("{} holds {} values; the records must be float32", what, DTypeName(a.dtype())));
  }
  if (a.shape().empty() || a.record_elements() != Elements(t.shape)) {
    std::vector<int64_t> record(a.shape().empty() ? a.shape().begin() : a.shape().begin() + 1,
                                a.shape().end());
    return Status::InvalidArgument(fmt::format(
        "{}: records of shape {} ({} values) do not fit {} of {} ({} values): use records "
        "prepared the way the model's training data was",
        what, ShapeText(record), a.shape().empty() ? 0 : a.record_elements(), InputText(model, i),
        model.name(), Elements(t.shape)));
  }
  return Status::Ok();
}

}  // namespace

bool IsDatasetFolder(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_directory(path, ec) &&
         std::filesystem::exists(std::filesystem::path(path) / "dataset.json", ec);
}

Result<RecordSet> RecordsFromSplit(const data::Dataset& ds, const std::string& split,
                                   const std::string& dir, const tflite::Runner& model) {
  RecordSet set;
  set.description = fmt::format("the {} split of {}", split, dir);
  if (model.num_inputs() != 1) {
    return Status::InvalidArgument(fmt::format(
        "{} has {} inputs; a data set feeds models with one input: give one .npy file per input "
        "instead",
        model.name(), model.num_inputs()));
  }
  const data::Split& s = ds.split(split);
  if (s.size() == 0) {
    return Status::InvalidArgument(
        fmt::format("{} is empty: choose another split", set.description));
  }
  EMLKIT_RETURN_IF_ERROR(CheckFits(s.x, model, 0, set.description));
  set.inputs.push_back(s.x);
  set.y = s.y;
  return set;
}

namespace {

// The records of b after those of a (same dtype and record shape).
NpyArray Concat(const NpyArray& a, const NpyArray& b) {
  std::vector<int64_t> shape = a.shape();
  shape[0] += b.records();
  NpyArray out = NpyArray::Zeros(a.dtype(), shape);
  std::copy(a.raw(), a.raw() + a.num_bytes(), out.raw());
  std::copy(b.raw(), b.raw() + b.num_bytes(), out.raw() + a.num_bytes());
  return out;
}

}  // namespace

Result<RecordSet> RecordsFromSplits(const data::Dataset& ds, const std::string& splits,
                                    const std::string& dir, const tflite::Runner& model) {
  RecordSet all;
  std::string names;
  size_t start = 0;
  for (;;) {
    const size_t comma = splits.find(',', start);
    const std::string name =
        splits.substr(start, comma == std::string::npos ? comma : comma - start);
    if (name != "train" && name != "val")  // never the test split: it must stay unseen
      return Status::InvalidArgument(
          fmt::format("--calib-split '{}': expected train, val or train,val", splits));
    EMLKIT_ASSIGN_OR_RETURN(RecordSet one, RecordsFromSplit(ds, name, dir, model));
    if (all.inputs.empty()) {
      all = std::move(one);
    } else {
      all.inputs[0] = Concat(all.inputs[0], one.inputs[0]);
      all.y = Concat(all.y, one.y);
    }
    names += (names.empty() ? "" : " + ") + name;
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  all.description = fmt::format("the {} split{} of {}", names,
                                names.find('+') == std::string::npos ? "" : "s", dir);
  return all;
}

Result<RecordSet> RecordsFromNpy(const std::vector<std::string>& paths,
                                 const tflite::Runner& model) {
  if (static_cast<int>(paths.size()) != model.num_inputs()) {
    std::vector<std::string> inputs;
    for (int i = 0; i < model.num_inputs(); ++i) inputs.push_back(InputText(model, i));
    return Status::InvalidArgument(fmt::format(
        "{} has {} input{} ({}); got {} .npy file{}: give one per model input, in this order",
        model.name(), model.num_inputs(), model.num_inputs() == 1 ? "" : "s",
        fmt::join(inputs, ", "), paths.size(), paths.size() == 1 ? "" : "s"));
  }
  RecordSet set;
  set.description = fmt::format("{}", fmt::join(paths, ", "));
  for (size_t i = 0; i < paths.size(); ++i) {
    EMLKIT_ASSIGN_OR_RETURN(NpyArray a, ReadNpy(paths[i]));
    EMLKIT_RETURN_IF_ERROR(CheckFits(a, model, static_cast<int>(i), paths[i]));
    if (i > 0 && a.records() != set.inputs[0].records()) {
      return Status::InvalidArgument(fmt::format("{} has {} records but {} has {}", paths[i],
                                                 a.records(), paths[0], set.inputs[0].records()));
    }
    set.inputs.push_back(std::move(a));
  }
  return set;
}

NpyArray SelectRows(const NpyArray& a, const std::vector<int64_t>& rows) {
  std::vector<int64_t> shape = a.shape();
  if (shape.empty()) return a;
  shape[0] = static_cast<int64_t>(rows.size());
  NpyArray out = NpyArray::Zeros(a.dtype(), shape);
  const size_t per = static_cast<size_t>(a.record_elements()) * DTypeSize(a.dtype());
  for (size_t i = 0; i < rows.size(); ++i) {
    std::memcpy(out.raw() + i * per, a.raw() + static_cast<size_t>(rows[i]) * per, per);
  }
  return out;
}

RecordSet SampleRecords(const RecordSet& set, int64_t max_records, uint64_t seed) {
  const int64_t n = set.records();
  if (max_records <= 0 || n <= max_records) return set;
  std::vector<int64_t> idx(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) idx[static_cast<size_t>(i)] = i;
  Rng rng(seed);
  // Partial Fisher-Yates: the first max_records entries become a uniform sample.
  for (int64_t i = 0; i < max_records; ++i) {
    const int64_t j = i + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(n - i)));
    std::swap(idx[static_cast<size_t>(i)], idx[static_cast<size_t>(j)]);
  }
  idx.resize(static_cast<size_t>(max_records));
  std::sort(idx.begin(), idx.end());
  RecordSet out;
  out.description =
      fmt::format("{} (a sample of {} of its {} records)", set.description, max_records, n);
  for (const NpyArray& a : set.inputs) out.inputs.push_back(SelectRows(a, idx));
  if (!set.y.shape().empty()) out.y = SelectRows(set.y, idx);
  return out;
}

}  // namespace emlkit::optimize
