#include "collect/predict.h"

#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <vector>

#include "collect/live_model.h"
#include "common/progress.h"
#include "data/csv_reader.h"
#include "data/timestamp.h"

namespace emlkit::collect {
namespace {

// A number for the CSV: shortest text that reads back as the same float.
std::string Num(double v) { return fmt::format("{}", static_cast<float>(v)); }

// The header's prediction columns for the model's task.
std::vector<std::string> PredictionColumns(const LiveModel& m, const LivePrediction* first) {
  if (m.task() == "anomaly") return {"score", "anomaly"};
  std::vector<std::string> cols;
  if (m.task() == "classification") {
    cols = {"label", "confidence"};
    for (const std::string& l : m.labels()) cols.push_back("p_" + l);
  } else if (first != nullptr) {
    for (const auto& [name, v] : first->json["values"].items()) cols.push_back(name);
  } else {
    cols.push_back("prediction");
  }
  return cols;
}

// The prediction's fields, in PredictionColumns' order.
std::string Fields(const LiveModel& m, const LivePrediction& p) {
  std::vector<std::string> f;
  if (m.task() == "anomaly") {
    f = {Num(p.json["score"].get<double>()), p.json["anomaly"].get<bool>() ? "1" : "0"};
  } else if (m.task() == "classification") {
    f = {p.json["label"].get<std::string>(), Num(p.json["confidence"].get<double>())};
    for (const std::string& l : m.labels()) f.push_back(Num(p.json["probabilities"].value(l, 0.0)));
  } else {
    for (const auto& [name, v] : p.json["values"].items()) f.push_back(Num(v.get<double>()));
  }
  return fmt::format("{}", fmt::join(f, ","));
}

}  // namespace

nlohmann::json PredictResult::Summary() const {
  nlohmann::json j = {{"rows", rows},
                      {"predicted", predicted},
                      {"task", task},
                      {"first_predicted", first_predicted}};
  if (task == "anomaly") {
    j["flagged"] = flagged;
    j["threshold"] = threshold;
  }
  return j;
}

Result<PredictResult> Predict(const PredictOptions& o) {
  EMLKIT_ASSIGN_OR_RETURN(LiveModel model, LiveModel::Open(o.model, /*every_row=*/true));
  EMLKIT_ASSIGN_OR_RETURN(auto reader, data::CsvReader::Open(o.input));
  const data::CsvSchema& schema = reader->schema();
  EMLKIT_RETURN_IF_ERROR(model.BindColumns(schema.names, o.input));
  const int tcol = model.timestamp_column().empty() ? -1 : schema.Find(model.timestamp_column());
  if (!model.timestamp_column().empty() && tcol < 0)
    return Status::InvalidArgument(fmt::format(
        "{} has no timestamp column '{}', which {} was trained with (its time gaps and time "
        "features need it); add it or rename the column",
        o.input, model.timestamp_column(), o.model));

  PredictResult r;
  r.task = model.task();
  std::vector<std::string> rows;  // the output rows, key first
  std::vector<std::optional<std::string>> fields;
  std::optional<LivePrediction> first;
  std::vector<double> row(schema.names.size());
  std::vector<LivePrediction> preds;
  Progress progress("predict", schema.file_bytes, o.progress);
  EMLKIT_RETURN_IF_ERROR(reader->ForEachBatch([&](const data::CsvBatch& b) -> Status {
    for (int64_t i = 0; i < b.rows; ++i) {
      double t = 0;
      if (tcol >= 0) {
        const data::CellKind k = b.columns[static_cast<size_t>(tcol)].kind[static_cast<size_t>(i)];
        if (k != data::CellKind::kTimestamp && !data::IsNumeric(k))
          return Status::InvalidArgument(reader->Where(b, i, tcol) +
                                         ": not a timestamp; every row needs its time");
        t = b.columns[static_cast<size_t>(tcol)].value[static_cast<size_t>(i)];
      }
      for (size_t c = 0; c < row.size(); ++c) {
        const data::CsvColumnData& col = b.columns[c];
        const data::CellKind k = col.kind[static_cast<size_t>(i)];
        row[c] = data::IsNumeric(k) || k == data::CellKind::kBool
                     ? col.value[static_cast<size_t>(i)]
                     : NAN;
      }
      preds.clear();
      EMLKIT_RETURN_IF_ERROR(model.Push(t, row, &preds));
      std::string key = tcol >= 0 ? data::FormatTimestamp(t) : std::to_string(r.rows + 1);
      if (preds.empty()) {
        fields.emplace_back();
      } else {
        const LivePrediction& p = preds.back();  // resampling: the row's last grid time
        if (!first) {
          first = p;
          r.first_predicted = key;
        }
        fields.emplace_back(Fields(model, p));
        ++r.predicted;
        r.flagged += model.task() == "anomaly" && p.label == 1;
      }
      rows.push_back(std::move(key));
      ++r.rows;
    }
    progress.Update(b.end_offset);
    return Status::Ok();
  }));
  progress.Finish();

  const std::vector<std::string> cols = PredictionColumns(model, first ? &*first : nullptr);
  const std::string empty(cols.size() - 1, ',');
  r.csv =
      fmt::format("{},{}\n", tcol >= 0 ? model.timestamp_column() : "row", fmt::join(cols, ","));
  for (size_t k = 0; k < rows.size(); ++k)
    r.csv += rows[k] + "," + (fields[k] ? *fields[k] : empty) + "\n";
  if (first && r.task == "anomaly") r.threshold = first->json["threshold"].get<double>();
  return r;
}

}  // namespace emlkit::collect
