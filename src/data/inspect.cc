#include "data/inspect.h"

#include <chrono>
#include <optional>

#include "common/progress.h"

namespace emlkit::data {
namespace {

Result<InspectReport> Run(CsvReader& reader, bool progress) {
  auto t0 = std::chrono::steady_clock::now();
  InspectReport rep;
  rep.schema = reader.schema();
  const size_t ncols = rep.schema.names.size();
  rep.columns.resize(ncols);
  std::optional<Progress> bar;
  if (progress) bar.emplace("inspect", rep.schema.file_bytes);
  EMLKIT_RETURN_IF_ERROR(reader.ForEachBatch([&](const CsvBatch& b) {
    for (size_t c = 0; c < ncols; ++c) {
      ColumnProfile& p = rep.columns[c];
      const CsvColumnData& cd = b.columns[c];
      for (int64_t r = 0; r < b.rows; ++r) {
        CellKind k = cd.kind[r];
        std::string_view text;
        if (k == CellKind::kText) text = b.Text(static_cast<int>(c), r);
        p.Add(k, cd.value[r], text, CellPlace{b.line[r], b.offset[r]});
      }
    }
    rep.rows += b.rows;
    if (bar) bar->Update(b.end_offset);
    if (InterruptRequested()) return Status::Cancelled("interrupted");
    return Status::Ok();
  }));
  if (bar) bar->Finish();
  rep.invalid_places.resize(ncols);
  for (size_t c = 0; c < ncols; ++c) {
    ColumnProfile& p = rep.columns[c];
    p.Finish();
    if (p.invalid > 0) {
      const CellPlace& at = p.first_of_kind[static_cast<int>(p.invalid_kind)];
      rep.invalid_places[c] =
          rep.schema.path + ":" + std::to_string(at.line) + ":" +
          std::to_string(reader.FieldColumn(at.row_offset, static_cast<int>(c)));
    }
  }
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return rep;
}

}  // namespace

Result<InspectReport> Inspect(const std::string& path, const CsvOptions& options, bool progress) {
  EMLKIT_ASSIGN_OR_RETURN(auto reader, CsvReader::Open(path, options));
  return Run(*reader, progress);
}

Result<InspectReport> InspectString(std::string_view bytes, const std::string& name,
                                    const CsvOptions& options) {
  EMLKIT_ASSIGN_OR_RETURN(auto reader, CsvReader::FromString(bytes, name, options));
  return Run(*reader, false);
}

}  // namespace emlkit::data
