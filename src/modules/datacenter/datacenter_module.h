// 人社数据中心 (issue 4). So far: the data standard and dictionary
// (dictionary.h) and its read-only API:
//
//   GET /api/v1/datacenter/dictionary/sources?system=&q=&page=&size=
//   GET /api/v1/datacenter/dictionary/sources/{no}
//   GET /api/v1/datacenter/dictionary/entities      (with fields)
//   GET /api/v1/datacenter/dictionary/codesets      (with values)
//   GET /api/v1/datacenter/dictionary/export.csv    (UTF-8 BOM CSV; audited)
//
// All need datacenter:dict:read. The dictionary is seeded at every Start.
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include "platform/module.h"

namespace hrss::identity {
class UnmaskRegistry;
}

namespace hrss::datacenter {

class FactFeed;

class DatacenterModule final : public Module {
 public:
  DatacenterModule();
  ~DatacenterModule() override;
  std::string_view name() const override { return "datacenter"; }
  Status RegisterMigrations(db::Migrator& migrator) override;
  Status Start(Platform& platform) override;
  Status LoadDemo(Platform& platform, const DemoOptions& options) override;
  std::string DemoSummary() const override;
  // Where Start registers the module's POST /api/v1/pii/unmask handlers
  // (the identity module's registry, which exists once identity started).
  void SetUnmaskRegistry(std::function<identity::UnmaskRegistry*()> registry);
  // The fact feed (facts.h) for the analytics module; valid after Start
  // (nullptr before), owned by the module.
  FactFeed* facts();

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace hrss::datacenter
