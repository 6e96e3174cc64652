// docs/openapi.json describes every route the server has, and nothing it does not have.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "tripsim/api/app.h"
#include "tripsim/store/memory_store.h"

namespace tripsim::embedded {
extern const std::string_view kOpenApiJson;
}

namespace tripsim::api {
namespace {

TEST(OpenApi, DescribesExactlyTheRoutesOfTheRouter) {
  auto store = store::NewMemoryStore();
  SystemClock clock;
  booking::CatalogHolder catalogs;
  booking::PartnerDirectory partners(*store, std::string(32, 'k'), clock, {});
  booking::BookingService bookings(*store, catalogs, clock, {});
  dashboard::AttemptRecorder attempts(*store);
  App app({*store, bookings, partners, catalogs, clock, attempts}, {});

  std::set<std::pair<std::string, std::string>> served;
  for (auto [method, path] : app.router().Routes()) {
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    served.emplace(method, path);
  }
  std::set<std::pair<std::string, std::string>> described;
  boost::json::value doc = boost::json::parse(embedded::kOpenApiJson);
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      if (method != "parameters") described.emplace(std::string(method), std::string(path));
    }
  }
  EXPECT_EQ(served, described);
}

}  // namespace
}  // namespace tripsim::api
