#include "tripsim/catalog/catalog.h"

#include <gtest/gtest.h>

#include "tripsim/catalog/inventory_file.h"

namespace tripsim::catalog {
namespace {

constexpr std::string_view kGood = R"({"packages": [
  {"id": "fr-5gb-30d", "name": "France 5 GB", "provider": "sample", "countries": ["FR"],
   "region": null, "data": "5GB", "validity_days": 30, "type": "data-limited",
   "cost": "4.50 EUR", "price": "9.90 EUR"},
  {"id": "eu-10gb-30d", "name": "Europe 10 GB", "provider": "sample", "countries": ["FRA", "DE"],
   "region": "EU", "data": "10GB", "validity_days": 30, "type": "data-limited",
   "cost": "7.00 EUR", "price": "14.90 EUR"}]})";

TEST(ParseCatalogFile, ReadsJson) {
  auto pkgs = ParseCatalogFile(kGood, Format::kJson);
  ASSERT_TRUE(pkgs.ok()) << pkgs.status().message();
  ASSERT_EQ(pkgs->size(), 2u);
  EXPECT_EQ((*pkgs)[1].countries, (std::vector<std::string>{"DE", "FR"}));
  EXPECT_EQ((*pkgs)[1].data_mb, 10 * 1024);
  EXPECT_EQ((*pkgs)[0].cost, (domain::Money{450, "EUR"}));
}

TEST(ParseCatalogFile, RejectsTheWholeFileAndNamesRowAndField) {
  std::string bad(kGood);
  bad.replace(bad.find("\"4.50 EUR\""), 10, "\"cheap\"");
  auto pkgs = ParseCatalogFile(bad, Format::kJson);
  ASSERT_FALSE(pkgs.ok());
  ASSERT_EQ(pkgs.status().details().size(), 1u);
  EXPECT_EQ(pkgs.status().details()[0].field, "packages[0].cost");
}

TEST(ParseCatalogFile, ReadsCsvAndNamesTheRow) {
  std::string csv =
      "id,name,provider,countries,region,data,validity_days,type,cost,price\n"
      "de-1gb-7d,Germany 1 GB,sample,DE,,1GB,7,data-limited,1.00 EUR,2.00 EUR\n"
      "eu-1gb-7d,\"Europe, 1 GB\",sample,DE FR IT,EU,1GB,7,data-limited,2.00 EUR,4.00 EUR\n";
  auto pkgs = ParseCatalogFile(csv, Format::kCsv);
  ASSERT_TRUE(pkgs.ok()) << pkgs.status().message();
  EXPECT_EQ((*pkgs)[1].name, "Europe, 1 GB");
  EXPECT_EQ((*pkgs)[1].countries.size(), 3u);
  csv += "xx,Bad,sample,ZZ,,1GB,0,data-limited,1.00 EUR,2.00 EUR\n";
  auto bad = ParseCatalogFile(csv, Format::kCsv);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().details()[0].field, "row 4 countries");
  EXPECT_EQ(bad.status().details()[1].field, "row 4 validity_days");
}

// As a spreadsheet program saves it: a byte-order mark, CRLF line ends, quotes doubled inside
// quoted fields, a blank line; problems are named by the line they are on.
TEST(ParseCatalogFile, ReadsCsvAsSpreadsheetsWriteIt) {
  std::string csv =
      "\xEF\xBB\xBFid, name,provider,countries,region,data,validity_days,type,cost,price\r\n"
      "de-1gb-7d,\"Germany \"\"Plus\"\" 1 GB\",sample,DE,,1GB,7,data-limited,1.00 EUR,2.00 EUR\r\n"
      "\r\n"
      "fr-1gb-7d,France 1 GB,sample,FR,,1GB,7,data-limited,1.00 EUR,2.00 EUR\r\n";
  auto pkgs = ParseCatalogFile(csv, Format::kCsv);
  ASSERT_TRUE(pkgs.ok()) << pkgs.status().message();
  ASSERT_EQ(pkgs->size(), 2u);
  EXPECT_EQ((*pkgs)[0].name, "Germany \"Plus\" 1 GB");
  EXPECT_EQ((*pkgs)[1].price, (domain::Money{200, "EUR"}));
  csv += "it-1gb-7d,Italy 1 GB,sample,IT,,1GB,7,data-limited,cheap,2.00 EUR\r\n";
  auto bad = ParseCatalogFile(csv, Format::kCsv);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().details().at(0).field, "row 5 cost");
}

TEST(ParseCatalogFile, ReadsJsonAfterAByteOrderMark) {
  auto pkgs = ParseCatalogFile("\xEF\xBB\xBF" + std::string(kGood), Format::kJson);
  ASSERT_TRUE(pkgs.ok()) << pkgs.status().message();
  EXPECT_EQ(pkgs->size(), 2u);
}

TEST(ParseInventoryCsv, ReadsSpreadsheetCsvAndNamesTheLine) {
  std::string csv =
      "\xEF\xBB\xBFiccid,smdp_address,matching_id,confirmation_code,provider\r\n"
      "8944500000000000014,smdp.example.com,MATCH-1,,sample\r\n"
      "\r\n"
      "8944500000000000022,smdp.example.com,MATCH-2,1234,sample\r\n";
  auto profiles = ParseInventoryCsv(csv);
  ASSERT_TRUE(profiles.ok()) << profiles.status().message();
  ASSERT_EQ(profiles->size(), 2u);
  EXPECT_EQ((*profiles)[0].confirmation_code, "");
  EXPECT_EQ((*profiles)[1].provider, "sample");
  csv += "8944500000000000015,smdp.example.com,MATCH-3,,sample\r\n";  // a wrong check digit
  auto bad = ParseInventoryCsv(csv);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().details().at(0).field, "row 5 iccid");
  EXPECT_EQ(ParseInventoryCsv("\xEF\xBB\xBF").status().message(), "inventory CSV is empty");
  EXPECT_EQ(ParseInventoryCsv("iccid,provider\n").status().message(),
            "inventory CSV header lacks the column smdp_address");
}

TEST(SampleCatalog, ParsesAndCoversEveryCountry) {
  auto pkgs = ParseCatalogFile(SampleCatalogJson(), Format::kJson);
  ASSERT_TRUE(pkgs.ok()) << pkgs.status().message();
  Catalog cat(std::move(*pkgs));
  for (const auto& c : domain::Geography::Builtin().countries()) {
    EXPECT_FALSE(cat.Covering({c.alpha2}).empty()) << c.alpha2;
  }
  EXPECT_NE(cat.Find("fr-5gb-30d"), nullptr);
  auto both = cat.Covering({"FR", "DE"});
  ASSERT_FALSE(both.empty());
  for (const auto* p : both) EXPECT_FALSE(p->region.empty());
}

}  // namespace
}  // namespace tripsim::catalog
