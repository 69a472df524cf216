// Status and Result<T>: errors as values (no exceptions on the request path).
//
// A Status is either OK or carries a Code and a human-readable message. Codes
// map one-to-one onto the API's error envelope (`code` field) and an HTTP
// status, so a module returns a Status and the HTTP layer renders it.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace hrss {

enum class Code {
  kOk = 0,
  kInvalidArgument,    // 400: the caller sent something malformed
  kUnauthenticated,    // 401: no or bad credentials
  kPermissionDenied,   // 403: authenticated but not allowed
  kNotFound,           // 404
  kMethodNotAllowed,   // 405
  kConflict,           // 409: concurrent change, unique key, version clash
  kFailedPrecondition, // 412/422: state does not allow the operation
  kPayloadTooLarge,    // 413
  kUnsupportedMedia,   // 415
  kResourceExhausted,  // 429: rate limit / quota
  kInternal,           // 500: a bug or an unexpected failure
  kUnavailable,        // 503: overloaded or a dependency is down; retryable
  kDeadlineExceeded,   // 504
  kDataLoss,           // 500: stored data is corrupt (checksum, chain)
};

// Stable machine-readable name, e.g. "INVALID_ARGUMENT".
std::string_view CodeName(Code code);
// HTTP status code that corresponds to `code`.
int HttpStatusFor(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status InvalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
  static Status Unauthenticated(std::string m) { return {Code::kUnauthenticated, std::move(m)}; }
  static Status PermissionDenied(std::string m) { return {Code::kPermissionDenied, std::move(m)}; }
  static Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Status Conflict(std::string m) { return {Code::kConflict, std::move(m)}; }
  static Status FailedPrecondition(std::string m) { return {Code::kFailedPrecondition, std::move(m)}; }
  static Status ResourceExhausted(std::string m) { return {Code::kResourceExhausted, std::move(m)}; }
  static Status Internal(std::string m) { return {Code::kInternal, std::move(m)}; }
  static Status Unavailable(std::string m) { return {Code::kUnavailable, std::move(m)}; }
  static Status DeadlineExceeded(std::string m) { return {Code::kDeadlineExceeded, std::move(m)}; }
  static Status DataLoss(std::string m) { return {Code::kDataLoss, std::move(m)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "INVALID_ARGUMENT: message" or "OK".
  std::string ToString() const;

  // Adds context in front of the message: "context: message".
  Status WithContext(std::string_view context) const;

  // A finer machine-readable reason for clients, e.g. "TOTP_REQUIRED" or
  // "ACCOUNT_LOCKED" (upper snake case). When set, the API error envelope's
  // `code` is the reason instead of CodeName(code()).
  Status WithReason(std::string reason) const {
    Status s = *this;
    s.reason_ = std::move(reason);
    return s;
  }
  const std::string& reason() const { return reason_; }

 private:
  Code code_ = Code::kOk;
  std::string message_;
  std::string reason_;
};

// Result<T> holds either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok() && "Result constructed from OK status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  // REQUIRES: ok()
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // OK status when ok(), else the error.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }

  T value_or(T other) const { return ok() ? std::get<T>(v_) : std::move(other); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace hrss

// Propagates a non-OK Status from an expression returning Status.
#define HRSS_RETURN_IF_ERROR(expr)          \
  do {                                      \
    ::hrss::Status hrss_st_ = (expr);       \
    if (!hrss_st_.ok()) return hrss_st_;    \
  } while (0)

#define HRSS_CONCAT_INNER_(a, b) a##b
#define HRSS_CONCAT_(a, b) HRSS_CONCAT_INNER_(a, b)
// Declares `lhs` from a Result-returning expression or returns its Status.
#define HRSS_ASSIGN_OR_RETURN(lhs, expr) \
  HRSS_ASSIGN_OR_RETURN_IMPL_(HRSS_CONCAT_(hrss_res_, __LINE__), lhs, expr)
#define HRSS_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(tmp).value()
