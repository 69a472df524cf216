// Small builders of the engine's JSON queries (docs/api/analytics.md "Query
// language"), shared by the declarative tables of the domain views and the
// screen items: a filter, a group-by level and a list of strings.
#pragma once

#include <boost/json.hpp>
#include <initializer_list>
#include <string>

namespace hrss::analytics {

// A filter {"dim", "level", "op", "values"}.
inline boost::json::object F(const char* dim, const char* level, const char* op,
                             boost::json::array values) {
  return boost::json::object{
      {"dim", dim}, {"level", level}, {"op", op}, {"values", std::move(values)}};
}

// A group-by level {"dim", "level"} (rows or columns).
inline boost::json::object G(const char* dim, const char* level) {
  return boost::json::object{{"dim", dim}, {"level", level}};
}

// A JSON array of strings (measures, filter values).
inline boost::json::array S(std::initializer_list<std::string> v) {
  boost::json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

}  // namespace hrss::analytics
