#include "db/errors.h"

namespace hrss::db {
namespace {
constexpr std::string_view kRetryableMark = "[retryable] ";
}  // namespace

Status RetryableError(std::string message) {
  return Status::Unavailable(std::string(kRetryableMark) + message);
}

bool IsRetryable(const Status& s) {
  return s.code() == Code::kUnavailable && s.message().find(kRetryableMark) != std::string::npos;
}

}  // namespace hrss::db
