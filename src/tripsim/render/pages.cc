#include "tripsim/render/pages.h"

#include <boost/json.hpp>
#include <kainjow/mustache.hpp>

#include "tripsim/domain/geography.h"

namespace tripsim::embedded {
extern const std::string_view kClaimPageTemplate;
}

namespace tripsim::render {

std::string ClaimPage(const domain::PromoCode* code, const std::string& claim_api_path,
                      const std::string& message) {
  kainjow::mustache::data view;
  bool claimable = code != nullptr && message.empty();
  view.set("claimable", claimable ? kainjow::mustache::data::type::bool_true
                                  : kainjow::mustache::data::type::bool_false);
  view.set("message", message);
  if (code != nullptr) {
    view.set("package", code->package ? code->package->name : "eSIM data package");
    const domain::Country* c = domain::Geography::Builtin().FindCountry(code->destination);
    if (!code->destination.empty()) view.set("destination", c ? c->name : code->destination);
  }
  // A JSON string literal is safe inside a script: serialize escapes quotes and control
  // characters, and "</" cannot occur in the path (it is our own URL of a uuid).
  view.set("claim_api_json", boost::json::serialize(boost::json::value(claim_api_path)));
  kainjow::mustache::mustache page{std::string(embedded::kClaimPageTemplate)};
  return page.render(view);
}

}  // namespace tripsim::render
