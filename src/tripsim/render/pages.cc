#include "tripsim/render/pages.h"

#include <boost/json.hpp>
#include <kainjow/mustache.hpp>

#include "tripsim/render/names.h"
#include "tripsim/render/page_strings.h"

namespace tripsim::embedded {
extern const std::string_view kClaimPageTemplate;
}

namespace tripsim::render {

std::string ClaimPage(const domain::PromoCode* code, const std::string& claim_api_path,
                      std::optional<ClaimRefusal> refusal, const std::string& lang) {
  kainjow::mustache::data view = PageView(lang);
  view.set("claimable", code != nullptr && !refusal ? kainjow::mustache::data::type::bool_true
                                                    : kainjow::mustache::data::type::bool_false);
  if (refusal) {
    view.set("message", PageText(lang, *refusal == ClaimRefusal::kInvalidLink     ? "claim_invalid"
                                       : *refusal == ClaimRefusal::kNoLongerValid ? "revoked"
                                                                                  : "claim_taken"));
  }
  if (code != nullptr) {
    view.set("package", code->package ? code->package->name : PageText(lang, "package_fallback"));
    if (!code->destination.empty()) {
      view.set("destination", DestinationName(code->destination, lang));
    }
  }
  // JSON string literals are safe inside a script: serialize escapes quotes and control
  // characters, and "</" occurs in neither our own URL (of a uuid) nor our own strings.
  view.set("claim_api_json", boost::json::serialize(boost::json::value(claim_api_path)));
  view.set("done_json", boost::json::serialize(boost::json::value(PageText(lang, "claim_done"))));
  kainjow::mustache::mustache page{std::string(embedded::kClaimPageTemplate)};
  return page.render(view);
}

}  // namespace tripsim::render
