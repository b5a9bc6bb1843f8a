// Status and Result<T>: how host code reports errors without exceptions.
//
// Every fallible host function returns a Status (no value) or a Result<T> (a value or a Status).
// Messages are written for the person at the terminal: they name the file, line, column, tensor or
// option concerned and say what to do. The CLI maps a Status to the process exit code:
//   0  ok
//   1  the job failed (kFailed, kInternal, kCancelled)
//   2  bad usage or bad input (kInvalidArgument, kNotFound, kCorruption, kUnsupported, kIOError)
//
// Example:
//   Result<NpyArray> a = ReadNpy(path);
//   if (!a.ok()) return a.status();
//   EMLKIT_ASSIGN_OR_RETURN(NpyArray b, ReadNpy(other));
#ifndef EMLKIT_COMMON_STATUS_H_
#define EMLKIT_COMMON_STATUS_H_

#include <optional>
#include <string>
#include <utility>

namespace emlkit {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // bad usage, bad config, bad data: the user can fix the input
  kNotFound,         // a file, column, key or tensor that was named does not exist
  kCorruption,       // a file exists but its bytes are not a valid instance of its format
  kUnsupported,      // valid input that emlkit does not handle (an op, a dtype, a layout)
  kIOError,          // the operating system refused a read or write
  kFailed,           // the job ran and did not succeed (e.g. training diverged)
  kCancelled,        // the user interrupted (Ctrl-C)
  kInternal,         // a bug in emlkit
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) {
    return {StatusCode::kInvalidArgument, std::move(m)};
  }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status Unsupported(std::string m) { return {StatusCode::kUnsupported, std::move(m)}; }
  static Status IOError(std::string m) { return {StatusCode::kIOError, std::move(m)}; }
  static Status Failed(std::string m) { return {StatusCode::kFailed, std::move(m)}; }
  static Status Cancelled(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "invalid argument: <message>" style text, for logs and tests.
  std::string ToString() const;
  // The process exit code the CLI uses for this status (see the table above).
  int ExitCode() const;

  // Returns a copy whose message is "<prefix>: <message>", keeping the code.
  Status WithContext(const std::string& prefix) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value of type T or an error Status. Never both; never an ok Status without a value.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (status_.ok()) status_ = Status::Internal("Result constructed from an ok Status");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }
  T&& operator*() && { return std::move(*value_); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace emlkit

#define EMLKIT_CONCAT_INNER_(a, b) a##b
#define EMLKIT_CONCAT_(a, b) EMLKIT_CONCAT_INNER_(a, b)

#define EMLKIT_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::emlkit::Status emlkit_status_ = (expr);        \
    if (!emlkit_status_.ok()) return emlkit_status_; \
  } while (0)

#define EMLKIT_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()

#define EMLKIT_ASSIGN_OR_RETURN(lhs, expr) \
  EMLKIT_ASSIGN_OR_RETURN_IMPL_(EMLKIT_CONCAT_(emlkit_result_, __LINE__), lhs, expr)

#endif  // EMLKIT_COMMON_STATUS_H_
