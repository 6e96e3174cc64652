// The traveller's redeem page (GET /redeem/{code}), and the page to type a code on (GET
// /redeem): the package and a button before
// redemption; the eSIM (QR code of the activation code, the iOS one-tap link, manual entry,
// steps) after it; a clear message for unknown, revoked or expired codes. Each in the
// language `lang` (PageLanguage, pages.h).
#pragma once

#include <string>
#include <vector>

#include "tripsim/base/status.h"
#include "tripsim/domain/booking.h"
#include "tripsim/domain/esim.h"

namespace tripsim::render {

// The iOS one-tap install link of an activation code.
std::string IosInstallUrl(const std::string& activation_code);
// The install steps in English, for the redeem API's answer (the page shows them in the
// traveller's language).
const std::vector<std::string>& InstallSteps();

// `destinations` (alpha-2 codes) are offered to choose from when the code has no package yet.
std::string RedeemOfferPage(const domain::PromoCode& code, const std::string& redeem_api_path,
                            const std::vector<std::string>& destinations, const std::string& lang);
Result<std::string> RedeemedPage(const domain::EsimProfile& profile, const std::string& lang);

// The page where a traveller types a code (GET /redeem): a form that sends it as ?code=. With
// `invalid`, `typed` is shown again under the message that it is not a code.
std::string RedeemEntryPage(const std::string& typed, bool invalid, const std::string& lang);

// Why a page cannot offer or show an eSIM.
enum class RedeemRefusal { kUnknownCode, kRevoked, kExpired, kTooManyAttempts, kFailed };
std::string RedeemErrorPage(RedeemRefusal why, const std::string& lang);

}  // namespace tripsim::render
