#include "db/value.h"

#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace hrss::db {

std::string_view DialectName(Dialect d) {
  switch (d) {
    case Dialect::kSqlite: return "sqlite";
    case Dialect::kMariaDb: return "mariadb";
  }
  return "unknown";
}

Value::Value(const std::optional<int64_t>& v) {
  if (v) v_ = *v;
}

Value::Value(const std::optional<std::string>& v) {
  if (v) v_ = *v;
}

namespace {

// Parses "123", "-123", "123.000" (a DECIMAL with zero fraction).
std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t out = 0;
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, out);
  if (ec != std::errc() || p == s.data()) return std::nullopt;
  if (p == end) return out;
  if (*p != '.') return std::nullopt;
  for (++p; p != end; ++p) {
    if (*p != '0') return std::nullopt;
  }
  return out;
}

std::optional<double> ParseDouble(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::string tmp(s);  // strtod needs a terminator
  char* endp = nullptr;
  double d = std::strtod(tmp.c_str(), &endp);
  if (endp != tmp.c_str() + tmp.size()) return std::nullopt;
  return d;
}

}  // namespace

std::optional<int64_t> Value::AsInt64() const {
  switch (type()) {
    case Type::kInt64: return int64();
    case Type::kDouble: {
      double d = dbl();
      // Only exactly integral values within range.
      if (std::trunc(d) == d && d >= -9.2233720368547758e18 && d < 9.2233720368547758e18) {
        return static_cast<int64_t>(d);
      }
      return std::nullopt;
    }
    case Type::kText: return ParseInt(text());
    case Type::kBlob: return ParseInt(blob());
    case Type::kNull: return std::nullopt;
  }
  return std::nullopt;
}

std::optional<double> Value::AsDouble() const {
  switch (type()) {
    case Type::kInt64: return static_cast<double>(int64());
    case Type::kDouble: return dbl();
    case Type::kText: return ParseDouble(text());
    case Type::kBlob: return ParseDouble(blob());
    case Type::kNull: return std::nullopt;
  }
  return std::nullopt;
}

std::optional<std::string> Value::AsText() const {
  switch (type()) {
    case Type::kInt64: return std::to_string(int64());
    case Type::kDouble: {
      char buf[32];
      int n = std::snprintf(buf, sizeof buf, "%.17g", dbl());
      return std::string(buf, n);
    }
    case Type::kText: return text();
    case Type::kBlob: return blob();
    case Type::kNull: return std::nullopt;
  }
  return std::nullopt;
}

std::string Value::DebugString() const {
  switch (type()) {
    case Type::kNull: return "NULL";
    case Type::kInt64:
    case Type::kDouble: return *AsText();
    case Type::kText: return "'" + text() + "'";
    case Type::kBlob: return "blob[" + std::to_string(blob().size()) + "]";
  }
  return "?";
}

namespace {
const std::vector<std::string>& EmptyColumns() {
  static const std::vector<std::string> kEmpty;
  return kEmpty;
}
const Value& NullValue() {
  static const Value kNull;
  return kNull;
}
}  // namespace

const std::vector<std::string>& Row::columns() const {
  return columns_ ? *columns_ : EmptyColumns();
}

int Row::ColumnIndex(std::string_view name) const {
  const auto& cols = columns();
  for (size_t i = 0; i < cols.size(); ++i) {
    if (cols[i] == name) return static_cast<int>(i);
  }
  return -1;
}

const Value& Row::at(size_t i) const {
  assert(i < values_.size() && "Row: column index out of range");
  return i < values_.size() ? values_[i] : NullValue();
}

const Value& Row::at(std::string_view name) const {
  int i = ColumnIndex(name);
  assert(i >= 0 && "Row: no such column");
  return i >= 0 ? values_[i] : NullValue();
}

namespace {
template <typename T>
T Required(std::optional<T> v) {
  assert(v.has_value() && "Row: NULL or non-convertible value in a non-optional getter");
  return v ? std::move(*v) : T{};
}
}  // namespace

int64_t Row::GetInt64(size_t i) const { return Required(at(i).AsInt64()); }
int64_t Row::GetInt64(std::string_view name) const { return Required(at(name).AsInt64()); }
double Row::GetDouble(size_t i) const { return Required(at(i).AsDouble()); }
double Row::GetDouble(std::string_view name) const { return Required(at(name).AsDouble()); }
std::string Row::GetText(size_t i) const { return Required(at(i).AsText()); }
std::string Row::GetText(std::string_view name) const { return Required(at(name).AsText()); }
std::string Row::GetBlob(size_t i) const { return Required(at(i).AsText()); }
std::string Row::GetBlob(std::string_view name) const { return Required(at(name).AsText()); }

}  // namespace hrss::db
