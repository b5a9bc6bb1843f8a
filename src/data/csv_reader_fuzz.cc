// libFuzzer target for the CSV reader and `data inspect`'s per-column analysis.
// Invariants: nothing crashes or reads out of bounds (ASan/UBSan builds), and the parallel
// block-splitting path (tiny blocks, two threads) gives exactly what one thread gives: the same
// rows and cells, or the same error message.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "data/csv_reader.h"
#include "data/inspect.h"

namespace {

// A digest of every row and cell, or the error.
std::string Digest(std::string_view bytes, int threads) {
  emlkit::data::CsvOptions opt;
  opt.threads = threads;
  opt.block_bytes = 64;
  opt.max_record_bytes = 4096;
  auto reader = emlkit::data::CsvReader::FromString(bytes, "fuzz.csv", opt);
  if (!reader.ok()) return "open error: " + reader.status().message();
  std::string d;
  emlkit::Status s = (*reader)->ForEachBatch([&](const emlkit::data::CsvBatch& b) {
    for (int64_t r = 0; r < b.rows; ++r) {
      d += std::to_string(b.line[r]) + ":" + std::to_string(b.offset[r]) + "|";
      for (size_t c = 0; c < b.columns.size(); ++c) {
        const auto& col = b.columns[c];
        d += std::to_string(static_cast<int>(col.kind[r])) + ",";
        if (col.kind[r] == emlkit::data::CellKind::kText) {
          d += std::string(b.Text(static_cast<int>(c), r)) + ",";
        } else {
          double v = col.value[r];
          d.append(reinterpret_cast<const char*>(&v), sizeof v);
        }
      }
    }
    return emlkit::Status::Ok();
  });
  if (!s.ok()) d += "error: " + s.message();
  return d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (Digest(bytes, 1) != Digest(bytes, 2)) std::abort();
  auto rep = emlkit::data::InspectString(bytes, "fuzz.csv");
  if (rep.ok()) {
    (void)rep->ToText();
    (void)rep->ToJson();
  }
  return 0;
}
