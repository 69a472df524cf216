// The API description generated from the router, so it can never drift from
// what the server really answers: OpenAPI 3.0 JSON with one operation per
// route, its summary, path parameters, and the permission it needs
// (`x-permission`, or `x-public: true`). Served at GET /api/v1/openapi.json
// and printed by `hrss routes --openapi`.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "http/router.h"

namespace hrss {

std::string BuildOpenApi(const http::Router& router, std::string_view version);

// Checks the declarations every route must carry: a summary, a well-formed
// permission key ("module:resource:action", lower case) or is_public, and
// `{name}` parameters. INVALID_ARGUMENT naming the first offending route.
Status CheckRouteDeclarations(const http::Router& router);

}  // namespace hrss
