#include "tripsim/render/redeem_page.h"

#include <gtest/gtest.h>

#include "tripsim/render/page_strings.h"
#include "tripsim/render/pages.h"

namespace tripsim::render {
namespace {

domain::PromoCode Code(bool with_package) {
  domain::PromoCode p;
  p.code = "K7Q2-M9XD-4TPA";
  p.destination = with_package ? "AT" : "";
  if (with_package) {
    p.package =
        domain::Package{"at-5gb-30d", "Austria 5 GB", "sample", {"AT"},
                        "",           5120,           30,       domain::PackageType::kDataLimited,
                        {450, "EUR"}, {990, "EUR"},   false};
  }
  return p;
}

// A translation without a string would show that one in English: none may lack one.
TEST(PageStrings, EveryLanguageHasEveryStringOfEnglish) {
  const auto& en = PageStrings().at("en").as_object();
  for (const auto& [lang, strings] : PageStrings()) {
    for (const auto& [key, value] : en) {
      const boost::json::value* own = strings.as_object().if_contains(key);
      ASSERT_NE(own, nullptr) << lang << " lacks " << key;
      EXPECT_EQ(own->kind(), value.kind()) << lang << " " << key;
      if (value.is_array()) {
        EXPECT_EQ(own->as_array().size(), value.as_array().size()) << lang << " " << key;
      }
    }
    EXPECT_EQ(strings.as_object().size(), en.size()) << lang << " has strings English lacks";
  }
}

TEST(PageLanguage, BookingLocaleFirstThenTheBrowsersThenEnglish) {
  EXPECT_EQ(PageLanguage("de-AT", "fr-FR,fr;q=0.9"), "de");
  EXPECT_EQ(PageLanguage("pl-PL", "fr-FR,fr;q=0.9"), "fr");  // a locale we do not speak
  EXPECT_EQ(PageLanguage(std::nullopt, "pl-PL, it;q=0.5, nl;q=0.8"), "nl");
  EXPECT_EQ(PageLanguage(std::nullopt, "ES_es;q=0.2, *;q=0.9"), "es");
  EXPECT_EQ(PageLanguage(std::nullopt, "de;q=0, pl"), "en");  // q=0 is "not this one"
  EXPECT_EQ(PageLanguage(std::nullopt, ""), "en");
  EXPECT_EQ(PageLanguage(std::nullopt, ";;,, ,q=,"), "en");
}

TEST(RedeemOfferPage, SpeaksTheTravellersLanguageWithCountryNames) {
  std::string de = RedeemOfferPage(Code(true), "/api/promo-codes/K7Q2-M9XD-4TPA/redeem", {}, "de");
  EXPECT_NE(de.find("<html lang=\"de\">"), std::string::npos);
  EXPECT_NE(de.find("Paket: <strong>Austria 5 GB</strong> für <strong>Österreich</strong>"),
            std::string::npos);
  EXPECT_NE(de.find(">Meine eSIM abrufen</button>"), std::string::npos);
  EXPECT_NE(de.find("status.textContent = \"Einen Moment…\";"), std::string::npos);
  std::string en = RedeemOfferPage(Code(true), "/x", {}, "en");
  EXPECT_NE(en.find(">Get my eSIM</button>"), std::string::npos);
  EXPECT_NE(en.find("for <strong>Austria</strong>"), std::string::npos);
}

TEST(RedeemOfferPage, ListsDestinationsInTheLanguagesAlphabeticalOrder) {
  std::string de = RedeemOfferPage(Code(false), "/x", {"PL", "AT", "NL"}, "de");
  const size_t netherlands = de.find(">Niederlande</option>");
  const size_t austria = de.find(">Österreich</option>");
  const size_t poland = de.find(">Polen</option>");
  ASSERT_NE(austria, std::string::npos);
  EXPECT_LT(netherlands, austria);
  EXPECT_LT(austria, poland);
  EXPECT_NE(de.find("<strong>eSIM-Datenpaket</strong>"), std::string::npos);
}

TEST(RedeemedPage, ShowsTheEsimWithLocalizedSteps) {
  domain::EsimProfile profile{"8988247000000000018", "smdp.example.com", "M-1", "", "sample", true};
  auto fr = RedeemedPage(profile, "fr");
  ASSERT_TRUE(fr.ok());
  EXPECT_NE(fr->find("<h1>Installez votre eSIM</h1>"), std::string::npos);
  EXPECT_NE(fr->find("<li>Sur Android : ouvrez Paramètres"), std::string::npos);
  EXPECT_NE(fr->find("smdp.example.com"), std::string::npos);
  EXPECT_NE(fr->find("Profil de test (staging)"), std::string::npos);
}

TEST(ClaimPage, AsksForTheEmailOrSaysWhyNotInTheTravellersLanguage) {
  domain::PromoCode code = Code(true);
  std::string nl = ClaimPage(&code, "/api/promo-codes/claim/u-1", std::nullopt, "nl");
  EXPECT_NE(nl.find("<html lang=\"nl\">"), std::string::npos);
  EXPECT_NE(nl.find("<label for=\"email\">E-mailadres</label>"), std::string::npos);
  EXPECT_NE(nl.find("voor <strong>Oostenrijk</strong>"), std::string::npos);
  EXPECT_NE(nl.find("\"Gelukt: kijk in je inbox.\""), std::string::npos);
  std::string taken = ClaimPage(&code, "/x", ClaimRefusal::kAlreadyClaimed, "es");
  EXPECT_NE(taken.find("Este código ya se ha solicitado."), std::string::npos);
  EXPECT_EQ(taken.find("<form"), std::string::npos);
  std::string invalid = ClaimPage(nullptr, "/x", ClaimRefusal::kInvalidLink, "en");
  EXPECT_NE(invalid.find("This link is not valid."), std::string::npos);
}

TEST(RedeemErrorPage, SaysWhyInTheTravellersLanguage) {
  std::string it = RedeemErrorPage(RedeemRefusal::kExpired, "it");
  EXPECT_NE(it.find("<h1>Codice scaduto</h1>"), std::string::npos);
  EXPECT_NE(it.find("<p>Questo codice è scaduto.</p>"), std::string::npos);
  std::string en = RedeemErrorPage(RedeemRefusal::kTooManyAttempts, "xx");
  EXPECT_NE(en.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(en.find("<h1>Too many attempts</h1>"), std::string::npos);
}

}  // namespace
}  // namespace tripsim::render
