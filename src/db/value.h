// Values, parameters and rows of the relational layer.
//
// Conventions for every table in the project:
//   * money is integer fen (int64), never floating point;
//   * instants are UTC epoch milliseconds (int64); calendar dates are
//     'YYYY-MM-DD' text;
//   * text is UTF-8; binary data is a Blob.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace hrss::db {

enum class Dialect { kSqlite, kMariaDb };

// "sqlite" or "mariadb".
std::string_view DialectName(Dialect d);

// Binary data (bytes, not necessarily UTF-8).
struct Blob {
  std::string bytes;
  bool operator==(const Blob&) const = default;
};

// A SQL value: NULL, int64, double, UTF-8 text or a blob.
class Value {
 public:
  enum class Type { kNull, kInt64, kDouble, kText, kBlob };

  Value() = default;                         // NULL
  Value(std::nullopt_t) {}                   // NOLINT: implicit by design
  Value(bool v) : v_(int64_t{v ? 1 : 0}) {}  // NOLINT
  Value(int v) : v_(int64_t{v}) {}           // NOLINT
  Value(long v) : v_(int64_t{v}) {}          // NOLINT
  Value(long long v) : v_(int64_t{v}) {}     // NOLINT
  Value(unsigned v) : v_(int64_t{v}) {}      // NOLINT
  // REQUIRES: v <= INT64_MAX (sizes, counts).
  Value(unsigned long v) : v_(static_cast<int64_t>(v)) {}       // NOLINT
  Value(unsigned long long v) : v_(static_cast<int64_t>(v)) {}  // NOLINT
  Value(double v) : v_(v) {}                                    // NOLINT
  Value(std::string v) : v_(std::move(v)) {}                    // NOLINT
  Value(std::string_view v) : v_(std::string(v)) {}             // NOLINT
  Value(const char* v) : v_(std::string(v)) {}                  // NOLINT
  Value(Blob v) : v_(std::move(v)) {}                           // NOLINT
  Value(const std::optional<int64_t>& v);                       // NOLINT: nullopt → NULL
  Value(const std::optional<std::string>& v);                   // NOLINT: nullopt → NULL

  Type type() const { return static_cast<Type>(v_.index()); }
  bool is_null() const { return type() == Type::kNull; }

  // REQUIRES: the matching type().
  int64_t int64() const { return std::get<int64_t>(v_); }
  double dbl() const { return std::get<double>(v_); }
  const std::string& text() const { return std::get<std::string>(v_); }
  const std::string& blob() const { return std::get<Blob>(v_).bytes; }

  // Lenient conversions used by Row: int from an integral double or a
  // decimal string (MariaDB returns SUM(BIGINT) as DECIMAL); double from
  // int or numeric text; text from any non-null value. nullopt when the
  // value is NULL or cannot be converted.
  std::optional<int64_t> AsInt64() const;
  std::optional<double> AsDouble() const;
  std::optional<std::string> AsText() const;  // blobs: their bytes

  // For logs and test failure messages; never for SQL.
  std::string DebugString() const;

  bool operator==(const Value&) const = default;

 private:
  std::variant<std::monostate, int64_t, double, std::string, Blob> v_;
};

// Positional parameters for `?` placeholders.
using Params = std::vector<Value>;

// One result row. Column names are shared by all rows of a result.
// Getters by name look up the column exactly as the query named it (use
// aliases: `SELECT COUNT(*) AS n`). Getting a missing column, or a NULL or
// non-convertible value through a non-optional getter, is a programming error:
// it asserts in debug builds and yields 0/"" in release builds. Use the Opt*
// getters for nullable columns.
class Row {
 public:
  Row() = default;
  Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Value> values)
      : columns_(std::move(columns)), values_(std::move(values)) {}

  size_t size() const { return values_.size(); }
  const std::vector<std::string>& columns() const;
  // Index of the column called `name`, or -1.
  int ColumnIndex(std::string_view name) const;

  const Value& at(size_t i) const;
  const Value& at(std::string_view name) const;

  bool IsNull(size_t i) const { return at(i).is_null(); }
  bool IsNull(std::string_view name) const { return at(name).is_null(); }

  int64_t GetInt64(size_t i) const;
  int64_t GetInt64(std::string_view name) const;
  double GetDouble(size_t i) const;
  double GetDouble(std::string_view name) const;
  std::string GetText(size_t i) const;
  std::string GetText(std::string_view name) const;
  std::string GetBlob(size_t i) const;  // the bytes
  std::string GetBlob(std::string_view name) const;

  std::optional<int64_t> OptInt64(size_t i) const { return at(i).AsInt64(); }
  std::optional<int64_t> OptInt64(std::string_view name) const { return at(name).AsInt64(); }
  std::optional<double> OptDouble(size_t i) const { return at(i).AsDouble(); }
  std::optional<double> OptDouble(std::string_view name) const { return at(name).AsDouble(); }
  std::optional<std::string> OptText(size_t i) const { return at(i).AsText(); }
  std::optional<std::string> OptText(std::string_view name) const { return at(name).AsText(); }

  const std::vector<Value>& values() const { return values_; }

 private:
  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<Value> values_;
};

}  // namespace hrss::db
