#include "data/csv_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "data/csv_scan.h"
#include "data/utf8.h"

namespace emlkit::data {

using csv_internal::ByteClasses;
using csv_internal::ScanError;
using csv_internal::ScanRecord;
using csv_internal::ScanResult;
using csv_internal::ScanState;

namespace {

// std::allocator that leaves new chars uninitialised: read buffers are resized before read()
// fills them, and zeroing 4 MiB per block is wasted work.
template <typename T>
struct NoInitAllocator : std::allocator<T> {
  template <typename U>
  struct rebind {
    using other = NoInitAllocator<U>;
  };
  NoInitAllocator() = default;
  template <typename U>
  NoInitAllocator(const NoInitAllocator<U>&) {}  // NOLINT(google-explicit-constructor)
  template <typename U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};
using ByteBuffer = std::vector<char, NoInitAllocator<char>>;

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// The delimiter that occurs most often outside quotes on the first line ("," on a tie or none).
char DetectDelimiter(const char* p, size_t n) {
  const char kCandidates[] = {',', ';', '\t', '|'};
  size_t counts[4] = {0, 0, 0, 0};
  bool in_quote = false;
  for (size_t i = 0; i < n; ++i) {
    char c = p[i];
    if (c == '"') in_quote = !in_quote;
    if (in_quote) continue;
    if (c == '\n') {
      if (counts[0] + counts[1] + counts[2] + counts[3] > 0) break;
      continue;  // a leading empty line
    }
    for (int k = 0; k < 4; ++k)
      if (c == kCandidates[k]) ++counts[k];
  }
  int best = 0;
  for (int k = 1; k < 4; ++k)
    if (counts[k] > counts[best]) best = k;
  return kCandidates[best];
}

std::string DelimiterName(char d) {
  if (d == '\t') return "TAB";
  return std::string("'") + d + "'";
}

}  // namespace

int CsvSchema::Find(std::string_view name) const {
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<int>(i);
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i].size() != name.size()) continue;
    bool eq = true;
    for (size_t k = 0; k < name.size() && eq; ++k)
      eq = AsciiLower(names[i][k]) == AsciiLower(name[k]);
    if (eq) return static_cast<int>(i);
  }
  return -1;
}

// ---- the byte source and the parse jobs ---------------------------------------------------

struct CsvReader::Impl {
  CsvOptions options;
  int fd = -1;
  std::string memory;  // FromString input
  int64_t read_pos = 0;
  bool source_eof = false;
  ByteBuffer carry;          // bytes read but not yet handed out (starts at a record start)
  int64_t carry_offset = 0;  // file offset of carry[0]
  int64_t carry_line = 1;    // 1-based line of carry[0]
  std::optional<ByteClasses> classes;
  std::vector<bool> selected;
  int ncols = 0;
  int row_id = 0;
  bool started = false;
  const CsvSchema* schema = nullptr;

  ~Impl() {
    if (fd >= 0) ::close(fd);
  }

  // Reads up to n bytes at `offset` (no effect on the sequential position).
  Result<size_t> ReadAt(int64_t offset, char* dst, size_t n) const {
    if (fd < 0) {
      if (offset >= static_cast<int64_t>(memory.size())) return size_t{0};
      size_t k = std::min(n, memory.size() - static_cast<size_t>(offset));
      std::memcpy(dst, memory.data() + offset, k);
      return k;
    }
    size_t got = 0;
    while (got < n) {
      ssize_t r = ::pread(fd, dst + got, n - got, offset + static_cast<int64_t>(got));
      if (r < 0) {
        if (errno == EINTR) continue;
        return Status::IOError(schema->path + ": read failed: " + std::strerror(errno));
      }
      if (r == 0) break;
      got += static_cast<size_t>(r);
    }
    return got;
  }

  // Appends up to n more bytes of input to carry.
  Status ReadMore(size_t n) {
    size_t old = carry.size();
    carry.resize(old + n);
    EMLKIT_ASSIGN_OR_RETURN(size_t got, ReadAt(read_pos, carry.data() + old, n));
    carry.resize(old + got);
    read_pos += static_cast<int64_t>(got);
    if (got < n) source_eof = true;
    return Status::Ok();
  }

  struct Block {
    ByteBuffer bytes;
    int64_t offset = 0;      // file offset of bytes[0]
    int64_t first_line = 1;  // 1-based line of bytes[0]
    bool truncated = false;  // no record boundary within max_record_bytes
  };

  // Moves the next run of complete records into `b`; false when the input is exhausted.
  Result<bool> NextBlock(Block* b) {
    while (carry.size() < options.block_bytes && !source_eof)
      EMLKIT_RETURN_IF_ERROR(ReadMore(options.block_bytes - carry.size()));
    if (carry.empty()) return false;
    size_t cut =
        source_eof ? carry.size() : csv_internal::LastRecordEnd(carry.data(), carry.size());
    b->truncated = false;
    while (cut == 0 && !source_eof) {
      if (carry.size() >= options.max_record_bytes) {
        b->truncated = true;
        cut = carry.size();
        break;
      }
      EMLKIT_RETURN_IF_ERROR(ReadMore(std::max(options.block_bytes, carry.size())));
      cut = source_eof ? carry.size() : csv_internal::LastRecordEnd(carry.data(), carry.size());
    }
    // Hand the whole buffer over and keep only the unfinished tail (no copy of the block).
    b->bytes.swap(carry);
    carry.assign(b->bytes.begin() + static_cast<std::ptrdiff_t>(cut), b->bytes.end());
    b->bytes.resize(cut);
    b->offset = carry_offset;
    b->first_line = carry_line;
    carry_offset += static_cast<int64_t>(cut);
    carry_line += std::count(b->bytes.begin(), b->bytes.end(), '\n');
    return true;
  }

  // Parses a block into `batch`. Lines and offsets in the batch are absolute.
  std::optional<ScanError> Parse(const Block& blk, CsvBatch* batch) const {
    ScanState s;
    s.p = s.line_start = blk.bytes.data();
    s.end = s.p + blk.bytes.size();
    batch->rows = 0;
    batch->line.clear();
    batch->offset.clear();
    batch->text_arena.clear();
    batch->text_spans.clear();
    batch->columns.resize(static_cast<size_t>(ncols));
    for (int c = 0; c < ncols; ++c) {
      batch->columns[c].value.clear();
      batch->columns[c].kind.clear();
    }
    const int expected = ncols + row_id;
    std::optional<ScanError> err;
    const char* extra_field = nullptr;
    for (;;) {
      extra_field = nullptr;
      int nf = 0;
      ScanResult r = ScanRecord(
          s, *classes, &nf, [&](int index, const char* b, const char* e, const char* field_start) {
            int col = index - row_id;
            if (col < 0) return;
            if (col >= ncols) {
              if (!extra_field) extra_field = field_start;
              return;
            }
            if (!selected[col]) return;
            CsvColumnData& cd = batch->columns[col];
            double v;
            CellKind k = ParseCell(b, e, &v);
            if (k == CellKind::kText) {
              TrimSpaces(&b, &e);
              v = static_cast<double>(batch->text_spans.size());
              batch->text_spans.emplace_back(static_cast<uint32_t>(batch->text_arena.size()),
                                             static_cast<uint32_t>(e - b));
              batch->text_arena.append(b, static_cast<size_t>(e - b));
              if (!err && !IsValidUtf8(b, static_cast<size_t>(e - b))) {
                ScanError se;
                se.line = s.line;
                se.column = field_start - s.line_start + 1;
                se.message = "text is not valid UTF-8; save the file as UTF-8";
                err = se;
              }
            }
            cd.value.push_back(v);
            cd.kind.push_back(k);
          });
      if (r == ScanResult::kEnd) break;
      if (r == ScanResult::kError) return s.error;
      if (err) return err;
      if (nf != expected) {
        ScanError se;
        se.line = s.record_line;
        if (nf > expected) {
          se.column = extra_field ? extra_field - s.record_start + 1 : 1;
        } else {
          const char* eol = s.p;
          while (eol > s.record_start && (eol[-1] == '\n' || eol[-1] == '\r')) --eol;
          se.column = eol - s.record_start + 1;
        }
        std::string names = std::to_string(ncols) + " column" + (ncols == 1 ? "" : "s");
        if (row_id) names += " plus a leading row id";
        se.message = "row has " + std::to_string(nf - row_id) + " field" +
                     (nf - row_id == 1 ? "" : "s") + " but the header names " + names +
                     "; every row needs the same number of fields (check for a missing or extra "
                     "delimiter)";
        return se;
      }
      batch->line.push_back(blk.first_line + s.record_line);
      batch->offset.push_back(blk.offset + (s.record_start - blk.bytes.data()));
      ++batch->rows;
    }
    if (blk.truncated) {
      ScanError se;
      se.line = s.record_line;
      se.column = 1;
      se.message = "a record longer than " + std::to_string(options.max_record_bytes >> 20) +
                   " MiB starts here; is a quote left open?";
      return se;
    }
    return std::nullopt;
  }
};

CsvReader::CsvReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  impl_->schema = &schema_;
}
CsvReader::~CsvReader() = default;

Result<std::unique_ptr<CsvReader>> CsvReader::Open(const std::string& path,
                                                   const CsvOptions& options) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) return Status::NotFound(path + ": no such file (check the path)");
    return Status::IOError(path + ": cannot open: " + std::strerror(err) +
                           " (check the file's permissions)");
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Status::InvalidArgument(path + ": is a folder, expected a CSV file");
  }
  auto impl = std::make_unique<Impl>();
  impl->fd = fd;
  impl->options = options;
  std::unique_ptr<CsvReader> r(new CsvReader(std::move(impl)));
  r->schema_.path = path;
  r->schema_.file_bytes = st.st_size;
  EMLKIT_RETURN_IF_ERROR(r->ReadHeader());
  return r;
}

Result<std::unique_ptr<CsvReader>> CsvReader::FromString(std::string_view bytes,
                                                         const std::string& name,
                                                         const CsvOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->memory.assign(bytes.data(), bytes.size());
  impl->options = options;
  std::unique_ptr<CsvReader> r(new CsvReader(std::move(impl)));
  r->schema_.path = name;
  r->schema_.file_bytes = static_cast<int64_t>(bytes.size());
  EMLKIT_RETURN_IF_ERROR(r->ReadHeader());
  return r;
}

Status CsvReader::ReadHeader() {
  Impl& im = *impl_;
  const std::string& path = schema_.path;
  im.options.block_bytes = std::max<size_t>(im.options.block_bytes, 64);
  im.options.max_record_bytes = std::max(im.options.max_record_bytes, im.options.block_bytes);
  // Enough bytes for the header and the first data row.
  auto fill = [&](size_t want) -> Status {
    while (im.carry.size() < want && !im.source_eof)
      EMLKIT_RETURN_IF_ERROR(im.ReadMore(want - im.carry.size()));
    return Status::Ok();
  };
  EMLKIT_RETURN_IF_ERROR(fill(std::min<size_t>(im.options.block_bytes, 1 << 16)));
  if (im.carry.size() >= 2 && static_cast<unsigned char>(im.carry[0]) == 0xFF &&
      static_cast<unsigned char>(im.carry[1]) == 0xFE)
    return Status::InvalidArgument(path + ":1:1: the file is UTF-16 encoded; save it as UTF-8");
  if (im.carry.size() >= 2 && static_cast<unsigned char>(im.carry[0]) == 0xFE &&
      static_cast<unsigned char>(im.carry[1]) == 0xFF)
    return Status::InvalidArgument(path + ":1:1: the file is UTF-16 encoded; save it as UTF-8");
  if (im.carry.size() >= 3 && static_cast<unsigned char>(im.carry[0]) == 0xEF &&
      static_cast<unsigned char>(im.carry[1]) == 0xBB &&
      static_cast<unsigned char>(im.carry[2]) == 0xBF) {
    im.carry.erase(im.carry.begin(), im.carry.begin() + 3);
    im.carry_offset = 3;
    schema_.bom = true;
  }
  schema_.delimiter = im.options.delimiter ? im.options.delimiter
                                           : DetectDelimiter(im.carry.data(), im.carry.size());
  im.classes.emplace(schema_.delimiter);

  // Scan the first two records (reading more while a record may be cut off).
  struct Rec {
    std::vector<std::string> fields;
    std::vector<CellKind> kinds;
    int64_t line = 0;  // 0-based within carry
    size_t end = 0;    // offset in carry just past the record
    bool present = false;
  };
  Rec rec[2];
  for (;;) {
    ScanState s;
    s.p = s.line_start = im.carry.data();
    s.end = s.p + im.carry.size();
    bool cut_off = false;
    for (Rec& r : rec) {
      r = Rec();
      int nf = 0;
      ScanResult res =
          ScanRecord(s, *im.classes, &nf, [&](int, const char* b, const char* e, const char*) {
            double v;
            r.kinds.push_back(ParseCell(b, e, &v));
            TrimSpaces(&b, &e);
            r.fields.emplace_back(b, static_cast<size_t>(e - b));
          });
      if (res == ScanResult::kEnd) break;
      if (res == ScanResult::kError) {
        if (!im.source_eof) {
          cut_off = true;
          break;
        }
        return Status::InvalidArgument(path + ":" + std::to_string(im.carry_line + s.error.line) +
                                       ":" + std::to_string(s.error.column) + ": " +
                                       s.error.message);
      }
      if (s.p == s.end && !im.source_eof && s.p[-1] != '\n') {
        cut_off = true;  // the record may continue past what was read
        break;
      }
      r.present = true;
      r.line = s.record_line;
      r.end = static_cast<size_t>(s.p - im.carry.data());
    }
    if (!cut_off || im.source_eof) break;
    if (im.carry.size() >= im.options.max_record_bytes)
      return Status::InvalidArgument(
          path + ":" + std::to_string(im.carry_line) + ":1: the first lines are longer than " +
          std::to_string(im.options.max_record_bytes >> 20) + " MiB; is a quote left open?");
    EMLKIT_RETURN_IF_ERROR(fill(im.carry.size() * 2));
  }
  if (!rec[0].present)
    return Status::InvalidArgument(path +
                                   ": the file is empty; expected a header line and data rows");
  for (const std::string& f : rec[0].fields) {
    if (!IsValidUtf8(f.data(), f.size()))
      return Status::InvalidArgument(path + ":" + std::to_string(im.carry_line + rec[0].line) +
                                     ":1: the first line is not valid UTF-8; save the file as "
                                     "UTF-8");
  }
  bool header = im.options.header == HeaderMode::kYes;
  if (im.options.header == HeaderMode::kAuto) {
    bool any_value = false, all_values = true;
    for (CellKind k : rec[0].kinds) {
      if (IsNumeric(k) || k == CellKind::kTimestamp)
        any_value = true;
      else if (k != CellKind::kMissing)
        all_values = false;
    }
    header = !(any_value && all_values);
  }
  const int first_fields = static_cast<int>(rec[0].fields.size());
  if (header) {
    schema_.has_header = true;
    schema_.header_line = im.carry_line + rec[0].line;
    if (!rec[1].present)
      return Status::InvalidArgument(path + ":" + std::to_string(schema_.header_line) +
                                     ": the file has a header but no data rows; add rows "
                                     "below the header");
    const int data_fields = static_cast<int>(rec[1].fields.size());
    if (data_fields == first_fields + 1 && first_fields >= 1) {
      schema_.row_id = true;  // R write.table style: rows start with an unnamed row label
    } else if (data_fields != first_fields) {
      return Status::InvalidArgument(
          path + ":" + std::to_string(im.carry_line + rec[1].line) + ":1: row has " +
          std::to_string(data_fields) + " fields but the header (line " +
          std::to_string(schema_.header_line) + ") names " + std::to_string(first_fields) +
          " columns; every row needs one field per column (delimiter " +
          DelimiterName(schema_.delimiter) + ")");
    }
    for (int i = 0; i < first_fields; ++i) {
      std::string n = rec[0].fields[static_cast<size_t>(i)];
      schema_.names.push_back(n.empty() ? "column_" + std::to_string(i + 1) : n);
    }
    // Consume the header record.
    size_t cut = rec[0].end;
    im.carry_line +=
        std::count(im.carry.begin(), im.carry.begin() + static_cast<std::ptrdiff_t>(cut), '\n');
    im.carry.erase(im.carry.begin(), im.carry.begin() + static_cast<std::ptrdiff_t>(cut));
    im.carry_offset += static_cast<int64_t>(cut);
  } else {
    schema_.has_header = false;
    for (int i = 0; i < first_fields; ++i)
      schema_.names.push_back("column_" + std::to_string(i + 1));
  }
  im.ncols = static_cast<int>(schema_.names.size());
  im.row_id = schema_.row_id ? 1 : 0;
  im.selected.assign(static_cast<size_t>(im.ncols), true);
  return Status::Ok();
}

void CsvReader::Select(const std::vector<int>& columns) {
  impl_->selected.assign(static_cast<size_t>(impl_->ncols), false);
  for (int c : columns)
    if (c >= 0 && c < impl_->ncols) impl_->selected[static_cast<size_t>(c)] = true;
}

int64_t CsvReader::FieldColumn(int64_t row_offset, int field) const {
  std::string buf(std::min<size_t>(impl_->options.max_record_bytes, 1 << 20), '\0');
  auto got = impl_->ReadAt(row_offset, buf.data(), buf.size());
  if (!got.ok()) return 0;
  buf.resize(*got);
  ScanState s;
  s.p = s.line_start = buf.data();
  s.end = s.p + buf.size();
  int nf = 0;
  int64_t col = 0;
  const int want = field + impl_->row_id;
  ScanRecord(s, *impl_->classes, &nf, [&](int index, const char*, const char*, const char* fs) {
    if (index == want) col = fs - s.line_start + 1;
  });
  return col;
}

std::string CsvReader::Where(const CsvBatch& b, int64_t row, int col) const {
  return schema_.path + ":" + std::to_string(b.line[static_cast<size_t>(row)]) + ":" +
         std::to_string(FieldColumn(b.offset[static_cast<size_t>(row)], col));
}

// ---- streaming ------------------------------------------------------------------------------

Status CsvReader::ForEachBatch(const std::function<Status(const CsvBatch&)>& fn) {
  Impl& im = *impl_;
  if (im.started) return Status::Internal("CsvReader::ForEachBatch called twice");
  im.started = true;
  auto error_status = [&](const ScanError& e) {
    return Status::InvalidArgument(schema_.path + ":" + std::to_string(e.line) + ":" +
                                   std::to_string(e.column) + ": " + e.message);
  };
  struct Job {
    Impl::Block block;
    CsvBatch batch;
    std::optional<ScanError> error;
    bool done = false;
  };
  auto finish = [&](Job& j, int64_t* first_row) -> Status {
    if (j.error) {
      ScanError e = *j.error;
      e.line += j.block.first_line;
      return error_status(e);
    }
    j.batch.first_row = *first_row;
    j.batch.end_offset = j.block.offset + static_cast<int64_t>(j.block.bytes.size());
    *first_row += j.batch.rows;
    if (j.batch.rows == 0) return Status::Ok();
    return fn(j.batch);
  };

  int threads = im.options.threads > 0 ? im.options.threads
                                       : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(1, threads);
  int64_t first_row = 0;
  const bool small = schema_.file_bytes <= static_cast<int64_t>(2 * im.options.block_bytes);
  if (threads == 1 || small) {
    Job j;
    for (;;) {
      EMLKIT_ASSIGN_OR_RETURN(bool more, im.NextBlock(&j.block));
      if (!more) return Status::Ok();
      j.error = im.Parse(j.block, &j.batch);
      EMLKIT_RETURN_IF_ERROR(finish(j, &first_row));
    }
  }

  // Workers parse blocks; this thread reads blocks and hands batches to `fn` in file order.
  // Declared before the workers so that they are joined before the jobs are freed.
  const size_t max_inflight = static_cast<size_t>(threads) * 2 + 1;
  std::vector<std::unique_ptr<Job>> pool;
  std::deque<Job*> inflight;
  std::vector<Job*> free_jobs;
  std::mutex mu;
  std::condition_variable work_cv, done_cv;
  std::deque<Job*> queue;
  bool stop = false;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (;;) {
        Job* j;
        {
          std::unique_lock<std::mutex> lock(mu);
          work_cv.wait(lock, [&] { return stop || !queue.empty(); });
          if (stop) return;
          j = queue.front();
          queue.pop_front();
        }
        std::optional<ScanError> e = im.Parse(j->block, &j->batch);
        {
          std::lock_guard<std::mutex> lock(mu);
          j->error = std::move(e);
          j->done = true;
        }
        done_cv.notify_all();
      }
    });
  }
  struct Joiner {
    std::mutex& mu;
    std::condition_variable& cv;
    bool& stop;
    std::vector<std::thread>& workers;
    ~Joiner() {
      {
        std::lock_guard<std::mutex> lock(mu);
        stop = true;
      }
      cv.notify_all();
      for (std::thread& t : workers) t.join();
    }
  } joiner{mu, work_cv, stop, workers};

  bool input_done = false;
  for (;;) {
    while (!input_done && inflight.size() < max_inflight) {
      Job* j;
      if (free_jobs.empty()) {
        pool.push_back(std::make_unique<Job>());
        j = pool.back().get();
      } else {
        j = free_jobs.back();
        free_jobs.pop_back();
      }
      auto more = im.NextBlock(&j->block);
      if (!more.ok() || !*more) {
        free_jobs.push_back(j);
        input_done = true;
        if (!more.ok()) {
          // Let earlier blocks report their errors first.
          while (!inflight.empty()) {
            Job* f = inflight.front();
            {
              std::unique_lock<std::mutex> lock(mu);
              done_cv.wait(lock, [&] { return f->done; });
            }
            inflight.pop_front();
            EMLKIT_RETURN_IF_ERROR(finish(*f, &first_row));
          }
          return more.status();
        }
        break;
      }
      j->done = false;
      j->error.reset();
      {
        std::lock_guard<std::mutex> lock(mu);
        queue.push_back(j);
      }
      work_cv.notify_one();
      inflight.push_back(j);
    }
    if (inflight.empty()) return Status::Ok();
    Job* j = inflight.front();
    {
      std::unique_lock<std::mutex> lock(mu);
      done_cv.wait(lock, [&] { return j->done; });
    }
    inflight.pop_front();
    EMLKIT_RETURN_IF_ERROR(finish(*j, &first_row));
    free_jobs.push_back(j);
  }
}

}  // namespace emlkit::data
