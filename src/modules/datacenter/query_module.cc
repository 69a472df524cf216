// One-stop search, 360° views, domain queries and exports (issue 4 item 5;
// docs/api/datacenter.md "Queries"): catalog keys and routes. The routes
// live in query_person.cc, query_unit.cc, query_domain.cc and
// query_export.cc; the shared rules in query_internal.h.
#include "modules/datacenter/query_internal.h"
#include "modules/identity/catalog.h"

namespace hrss::datacenter {

Status StartQueries(const Services& services) {
  using identity::PermissionKind;
  const identity::PermissionEntry keys[] = {
      {query::kPersonRead, "人员信息查询", PermissionKind::kApi, "datacenter", 101},
      {query::kUnitRead, "单位信息查询（单位 360°）", PermissionKind::kApi, "datacenter", 103},
      {query::kExportRequest, "申请批量导出", PermissionKind::kButton, "datacenter", 108},
      {query::kExportApprove, "审批批量导出", PermissionKind::kButton, "datacenter", 109},
      // Held by every signed-in user; the handlers check the real keys
      // (person or unit read for search, the domain's read key for domain
      // queries, export request or approve for the export list).
      {query::kQueryEntry, "数据中心查询入口（按业务权限再校验）", PermissionKind::kApi, "self", 9},
  };
  for (const auto& k : keys) HRSS_RETURN_IF_ERROR(identity::Catalog().Add(k));
  HRSS_RETURN_IF_ERROR(query::AddPersonRoutes(services));
  HRSS_RETURN_IF_ERROR(query::AddUnitRoutes(services));
  HRSS_RETURN_IF_ERROR(query::AddDomainRoutes(services));
  return query::AddExportRoutes(services);
}

}  // namespace hrss::datacenter
