// Non-parameterised unit tests: DSN parsing, values and rows, error marks.
#include "db/options.h"

#include <gtest/gtest.h>

#include "db/errors.h"
#include "db/migrate.h"
#include "db/value.h"

namespace hrss::db {
namespace {

TEST(ParseMariaDbDsn, ReadsAllKeys) {
  Result<Options> o = ParseMariaDbDsn(
      " host=127.0.0.1; port=33061;user=root;password=;database=hrss_test;"
      "connect_timeout=3;lock_wait_timeout=7;max_connections=16;acquire_timeout_ms=250;"
      "ping_after_idle_ms=0 ");
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->dialect, Dialect::kMariaDb);
  EXPECT_EQ(o->host, "127.0.0.1");
  EXPECT_EQ(o->port, 33061);
  EXPECT_EQ(o->user, "root");
  EXPECT_EQ(o->password, "");
  EXPECT_EQ(o->database, "hrss_test");
  EXPECT_EQ(o->connect_timeout_s, 3);
  EXPECT_EQ(o->lock_wait_timeout_s, 7);
  EXPECT_EQ(o->max_connections, 16);
  EXPECT_EQ(o->acquire_timeout.count(), 250);
  EXPECT_EQ(o->ping_after_idle.count(), 0);
}

TEST(ParseMariaDbDsn, SocketAliasesAndEscapes) {
  Result<Options> o =
      ParseMariaDbDsn("socket=/tmp/m/mysqld.sock;user=app;password=a\\;b\\\\c;db=hr");
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->unix_socket, "/tmp/m/mysqld.sock");
  EXPECT_EQ(o->password, "a;b\\c");
  EXPECT_EQ(o->database, "hr");
}

TEST(ParseMariaDbDsn, RejectsBadInputWithoutEchoingValues) {
  EXPECT_EQ(ParseMariaDbDsn("host=h;user=u;colour=blue").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ParseMariaDbDsn("host=h;user=u;port=abc").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ParseMariaDbDsn("host=h;user=u;port=70000").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ParseMariaDbDsn("host=h;port=1").status().code(), Code::kInvalidArgument);  // user
  EXPECT_EQ(ParseMariaDbDsn("host=h;user=u;max_connections=0").status().code(),
            Code::kInvalidArgument);
  Result<Options> bad = ParseMariaDbDsn("host=h;user=u;password=s3cret;oops");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().find("s3cret"), std::string::npos);
  Result<Options> bad_escape = ParseMariaDbDsn("host=h;user=u;password=x\\y");
  EXPECT_FALSE(bad_escape.ok());
}

TEST(Value, TypesAndConversions) {
  EXPECT_TRUE(Value().is_null());
  EXPECT_TRUE(Value(std::nullopt).is_null());
  EXPECT_TRUE(Value(std::optional<int64_t>()).is_null());
  EXPECT_EQ(Value(std::optional<std::string>("x")).text(), "x");
  EXPECT_EQ(Value(42).type(), Value::Type::kInt64);
  EXPECT_EQ(Value(true).int64(), 1);
  EXPECT_EQ(Value(size_t{7}).int64(), 7);
  EXPECT_EQ(Value(2.5).type(), Value::Type::kDouble);
  EXPECT_EQ(Value("文本").type(), Value::Type::kText);
  EXPECT_EQ(Value(Blob{"\x00\x01"}).type(), Value::Type::kBlob);

  EXPECT_EQ(Value("12345").AsInt64(), 12345);
  EXPECT_EQ(Value("-12345.000").AsInt64(), -12345);  // DECIMAL(…) with zero scale
  EXPECT_EQ(Value("12.5").AsInt64(), std::nullopt);
  EXPECT_EQ(Value("abc").AsInt64(), std::nullopt);
  EXPECT_EQ(Value(3.0).AsInt64(), 3);
  EXPECT_EQ(Value(3.5).AsInt64(), std::nullopt);
  EXPECT_EQ(Value(1e30).AsInt64(), std::nullopt);
  EXPECT_EQ(Value(7).AsDouble(), 7.0);
  EXPECT_EQ(Value("0.25").AsDouble(), 0.25);
  EXPECT_EQ(Value(-9).AsText(), "-9");
  EXPECT_EQ(Value().AsText(), std::nullopt);
  EXPECT_EQ(Value(Blob{"ab"}).DebugString(), "blob[2]");
}

TEST(Row, AccessByIndexAndName) {
  auto cols = std::make_shared<std::vector<std::string>>(
      std::vector<std::string>{"id", "name", "amount_fen", "note"});
  Row r(cols, {Value(7), Value("王五"), Value("1500"), Value()});
  EXPECT_EQ(r.size(), 4u);
  EXPECT_EQ(r.GetInt64("id"), 7);
  EXPECT_EQ(r.GetText(1), "王五");
  EXPECT_EQ(r.GetInt64("amount_fen"), 1500);
  EXPECT_TRUE(r.IsNull("note"));
  EXPECT_EQ(r.OptText("note"), std::nullopt);
  EXPECT_EQ(r.ColumnIndex("missing"), -1);
  EXPECT_EQ(r.columns().size(), 4u);
}

TEST(Errors, RetryableMark) {
  Status s = RetryableError("deadlock");
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_TRUE(IsRetryable(s));
  EXPECT_TRUE(IsRetryable(s.WithContext("saving claim")));
  EXPECT_FALSE(IsRetryable(Status::Unavailable("connection lost")));
  EXPECT_FALSE(IsRetryable(Status::Conflict("[retryable] not this code")));
}

TEST(Migrator, RegisterValidates) {
  Migrator m;
  EXPECT_TRUE(m.Register({"core", 1, "one", "CREATE TABLE a (x INT)", ""}).ok());
  EXPECT_EQ(m.Register({"core", 1, "again", "CREATE TABLE b (x INT)", ""}).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(m.Register({"Core", 2, "caps", "SELECT 1", ""}).code(), Code::kInvalidArgument);
  EXPECT_EQ(m.Register({"core", 0, "zero", "SELECT 1", ""}).code(), Code::kInvalidArgument);
  EXPECT_EQ(m.Register({"core", 3, "", "SELECT 1", ""}).code(), Code::kInvalidArgument);
  EXPECT_EQ(m.Register({"core", 4, "no sql", "", ""}).code(), Code::kInvalidArgument);
  EXPECT_EQ(Migrator::Checksum("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Migrator, OrdersModulesByFirstRegistrationThenVersion) {
  Migrator m;
  ASSERT_TRUE(m.Register({"b", 2, "b2", "x", ""}).ok());
  ASSERT_TRUE(m.Register({"a", 1, "a1", "x", ""}).ok());
  ASSERT_TRUE(m.Register({"b", 1, "b1", "x", ""}).ok());
  std::vector<Migration> ms = m.migrations();
  ASSERT_EQ(ms.size(), 3u);
  EXPECT_EQ(ms[0].name, "b1");
  EXPECT_EQ(ms[1].name, "b2");
  EXPECT_EQ(ms[2].name, "a1");
}

}  // namespace
}  // namespace hrss::db
