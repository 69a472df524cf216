// Column bookkeeping for JSON object sources (JSON Lines files, HTTP feeds):
// columns are the first object's keys in order; keys seen later are appended
// (records already returned keep their own, shorter column list).
#pragma once

#include <boost/json/fwd.hpp>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "ingest/reader.h"

namespace hrss::ingest::internal {

class JsonColumns {
 public:
  // Sets out->columns / out->values from `obj`. Strings as is, numbers and
  // booleans (and nested values) as JSON text, null as "".
  void Fill(const boost::json::object& obj, Record* out);
  static void ValueText(const boost::json::value& v, std::string* out);

 private:
  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<std::string> pending_;
  std::unordered_map<std::string, size_t> index_;
};

}  // namespace hrss::ingest::internal
