#include "data/table.h"

#include <cstdio>
#include <limits>
#include <map>

#include "common/progress.h"
#include "common/sha256.h"

namespace emlkit::data {
namespace {

std::string Quote(std::string_view s) {
  std::string q(s.substr(0, 40));
  if (s.size() > 40) q += "...";
  return "'" + q + "'";
}

std::string ColumnList(const CsvSchema& s) {
  std::string out;
  for (const auto& n : s.names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The class id of a label text (a new id for a new text).
double TextId(const std::string& s, Table* t, std::map<std::string, int>* text_ids) {
  auto [it, added] = text_ids->emplace(s, static_cast<int>(text_ids->size()));
  if (added) t->label_texts.push_back(s);
  return it->second;
}

// A category's text: the cell's text, or its number written shortest.
std::string CategoryText(const CsvBatch& b, const CsvColumnData& cd, int col, int64_t r) {
  if (cd.kind[r] == CellKind::kText) return std::string(b.Text(col, r));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", cd.value[r]);
  return buf;
}

Status LoadFile(const TableRequest& req, const std::string& path, const std::string& file_label,
                bool test, Table* t, std::map<std::string, int>* text_ids,
                std::map<std::string, int>* group_ids) {
  EMLKIT_ASSIGN_OR_RETURN(auto reader, CsvReader::Open(path, CsvOptions{req.delimiter}));
  const CsvSchema& schema = reader->schema();
  auto find = [&](const std::string& name, const std::string& origin) -> Result<int> {
    int c = schema.Find(name);
    if (c < 0)
      return Status::InvalidArgument(path + ": no column '" + name + "' (named by " + origin +
                                     "); the columns are: " + ColumnList(schema));
    if (schema.names[static_cast<size_t>(c)] != name)  // Find also matches by case
      return Status::InvalidArgument(path + ": no column '" + name + "' (named by " + origin +
                                     "); column names are "
                                     "case-sensitive and the file has '" +
                                     schema.names[static_cast<size_t>(c)] +
                                     "': write it as in the header");
    return c;
  };
  std::vector<int> num_cols;
  for (size_t i = 0; i < req.numeric.size(); ++i) {
    EMLKIT_ASSIGN_OR_RETURN(int c, find(req.numeric[i], req.origin[i]));
    num_cols.push_back(c);
  }
  int ts_col = -1, label_col = -1, group_col = -1;
  if (!req.group.empty()) {
    EMLKIT_ASSIGN_OR_RETURN(group_col, find(req.group, "--group"));
  }
  if (!req.timestamp.empty()) {
    EMLKIT_ASSIGN_OR_RETURN(ts_col, find(req.timestamp, "--timestamp"));
  }
  if (!req.label.empty()) {
    EMLKIT_ASSIGN_OR_RETURN(label_col, find(req.label, "--label"));
  }
  std::vector<int> all = num_cols;
  if (ts_col >= 0) all.push_back(ts_col);
  if (label_col >= 0) all.push_back(label_col);
  if (group_col >= 0) all.push_back(group_col);
  reader->Select(all);

  InputFile info;
  info.path = path;
  info.test = test;
  info.row_id = schema.row_id;
  info.label = file_label;
  int64_t prev_line = -1;
  const int32_t file_index = static_cast<int32_t>(t->files.size());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Progress bar("load " + path, schema.file_bytes, req.progress);
  EMLKIT_RETURN_IF_ERROR(reader->ForEachBatch([&](const CsvBatch& b) -> Status {
    for (size_t i = 0; i < num_cols.size(); ++i) {
      const int c = num_cols[i];
      const CsvColumnData& cd = b.columns[c];
      std::vector<double>& out = t->cols[i];
      for (int64_t r = 0; r < b.rows; ++r) {
        CellKind k = cd.kind[r];
        if (IsNumeric(k) || k == CellKind::kBool) {
          out.push_back(cd.value[r]);
        } else if (k == CellKind::kMissing || k == CellKind::kNonFinite) {
          if (t->first_missing[i].empty()) {
            t->first_missing[i] =
                reader->Where(b, r, c) +
                (k == CellKind::kMissing ? ": missing value" : ": infinite value");
          }
          out.push_back(nan);
        } else {
          std::string text = k == CellKind::kText ? Quote(b.Text(c, r)) : "a timestamp";
          return Status::InvalidArgument(
              reader->Where(b, r, c) + ": column '" + schema.names[c] + "' holds " + text +
              ", not a number; fix the value, or leave the column out of " + req.origin[i]);
        }
      }
    }
    if (ts_col >= 0) {
      const CsvColumnData& cd = b.columns[ts_col];
      for (int64_t r = 0; r < b.rows; ++r) {
        CellKind k = cd.kind[r];
        if (k == CellKind::kTimestamp || IsNumeric(k)) {
          t->time.push_back(cd.value[r]);
        } else if (k == CellKind::kMissing) {
          return Status::InvalidArgument(reader->Where(b, r, ts_col) +
                                         ": the timestamp is missing; every row needs one "
                                         "(remove the row or fill in its time)");
        } else {
          std::string text = k == CellKind::kText ? Quote(b.Text(ts_col, r)) : "an infinite value";
          return Status::InvalidArgument(
              reader->Where(b, r, ts_col) + ": column '" + schema.names[ts_col] + "' holds " +
              text + ", not a timestamp (expected YYYY-MM-DD hh:mm:ss or seconds since 1970)");
        }
      }
    }
    if (label_col >= 0) {
      const CsvColumnData& cd = b.columns[label_col];
      for (int64_t r = 0; r < b.rows; ++r) {
        CellKind k = cd.kind[r];
        const bool is_text = k == CellKind::kText;
        if (k == CellKind::kMissing || k == CellKind::kNonFinite || k == CellKind::kTimestamp)
          return Status::InvalidArgument(reader->Where(b, r, label_col) + ": the label (column '" +
                                         schema.names[label_col] +
                                         "') is missing or not a class; every row needs a label");
        bool first = t->label.empty();
        bool have_text = !t->label_texts.empty() || (first && is_text);
        if (!first && is_text != have_text)
          return Status::InvalidArgument(reader->Where(b, r, label_col) + ": the label column '" +
                                         schema.names[label_col] +
                                         "' mixes numbers and text; use one kind of class name");
        if (is_text) {
          t->label.push_back(TextId(std::string(b.Text(label_col, r)), t, text_ids));
        } else {
          t->label.push_back(cd.value[r]);
        }
      }
    }
    if (!file_label.empty())
      for (int64_t r = 0; r < b.rows; ++r) t->label.push_back(TextId(file_label, t, text_ids));
    for (int64_t r = 0; r < b.rows; ++r) {
      // Empty lines are skipped by the reader: a row starting more than one line after the row
      // before has a blank line before it.
      bool blank = prev_line >= 0 && b.line[r] > prev_line + 1;
      bool changed = false;
      if (group_col >= 0) {
        const CsvColumnData& cd = b.columns[group_col];
        CellKind k = cd.kind[r];
        if (k == CellKind::kMissing || k == CellKind::kNonFinite)
          return Status::InvalidArgument(reader->Where(b, r, group_col) + ": the group (column '" +
                                         schema.names[group_col] +
                                         "') is missing; every row needs one");
        std::string g = CategoryText(b, cd, group_col, r);
        auto [it, added] = group_ids->emplace(g, static_cast<int>(group_ids->size()));
        if (added) t->group_texts.push_back(g);
        changed = prev_line >= 0 && t->group.back() != it->second;
        t->group.push_back(it->second);
      }
      t->blank_breaks += blank;
      t->group_breaks += changed && !blank;
      t->boundary.push_back(blank || changed);
      prev_line = b.line[r];
      t->line.push_back(b.line[r]);
      t->file.push_back(file_index);
    }
    info.rows += b.rows;
    bar.Update(b.end_offset);
    if (InterruptRequested()) return Status::Cancelled("interrupted");
    return Status::Ok();
  }));
  EMLKIT_ASSIGN_OR_RETURN(info.sha256, Sha256File(path));
  t->files.push_back(info);
  return Status::Ok();
}

}  // namespace

Result<Table> LoadTable(const TableRequest& req) {
  Table t;
  t.names = req.numeric;
  t.cols.resize(req.numeric.size());
  t.first_missing.resize(req.numeric.size());
  std::map<std::string, int> text_ids, group_ids;
  auto label_of = [](const std::vector<std::string>& labels, size_t i) {
    return i < labels.size() ? labels[i] : std::string();
  };
  for (size_t i = 0; i < req.inputs.size(); ++i)
    EMLKIT_RETURN_IF_ERROR(LoadFile(req, req.inputs[i], label_of(req.input_labels, i), false, &t,
                                    &text_ids, &group_ids));
  for (size_t i = 0; i < req.tests.size(); ++i)
    EMLKIT_RETURN_IF_ERROR(
        LoadFile(req, req.tests[i], label_of(req.test_labels, i), true, &t, &text_ids, &group_ids));
  return t;
}

}  // namespace emlkit::data
