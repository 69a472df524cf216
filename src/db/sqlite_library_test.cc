// The SQLite the platform links: the bundled amalgamation (third_party/sqlite)
// with its compile options, unless built with HRSS_SYSTEM_SQLITE=ON.
#include <sqlite3.h>

#include <gtest/gtest.h>

namespace hrss::db {
namespace {

TEST(SqliteLibrary, IsTheBundledBuild) {
  // Header and library agree (no stray libsqlite3.so in between).
  EXPECT_EQ(sqlite3_libversion_number(), SQLITE_VERSION_NUMBER);
  EXPECT_STREQ(sqlite3_sourceid(), SQLITE_SOURCE_ID);
  EXPECT_EQ(sqlite3_threadsafe(), 1);
#ifndef HRSS_SYSTEM_SQLITE
  EXPECT_EQ(sqlite3_libversion_number(), 3053002);
  EXPECT_EQ(sqlite3_compileoption_used("DEFAULT_MEMSTATUS=0"), 1);
  EXPECT_EQ(sqlite3_compileoption_used("OMIT_SHARED_CACHE"), 1);
  EXPECT_EQ(sqlite3_compileoption_used("ENABLE_MATH_FUNCTIONS"), 1);
#endif
}

}  // namespace
}  // namespace hrss::db
