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

// Catalogs written by hand or exported from a spreadsheet: units and currencies in any case,
// a space before the unit, a decimal comma, the currency first, "Unlimited", a type with a
// space, whole days written as decimals, countries separated by commas. Each reads as the
// design's spelling; what still makes no sense is refused and named.
TEST(ParseCatalogFile, ReadsTheSpellingsPeopleWrite) {
  std::string csv =
      "id,name,provider,countries,region,data,validity_days,type,cost,price\n"
      "de-1gb-7d , Germany 1 GB ,sample,\"DE, AT;CH\", eu ,1.5 gb,7.0,Data Limited,\"4,5 eur\",EUR "
      "9.90\n"
      "fr-unl-30d,France unlimited,sample,fr,,Unlimited, 30 ,UNLIMITED,12 EUR,19.90EUR\n";
  auto pkgs = ParseCatalogFile(csv, Format::kCsv);
  ASSERT_TRUE(pkgs.ok()) << pkgs.status().message();
  const domain::Package& de = (*pkgs)[0];
  EXPECT_EQ(de.id, "de-1gb-7d");
  EXPECT_EQ(de.name, "Germany 1 GB");
  EXPECT_EQ(de.countries, (std::vector<std::string>{"AT", "CH", "DE"}));
  EXPECT_EQ(de.region, "EU");
  EXPECT_EQ(de.data_mb, 1536);
  EXPECT_EQ(de.validity_days, 7);
  EXPECT_EQ(de.type, domain::PackageType::kDataLimited);
  EXPECT_EQ(de.cost, (domain::Money{450, "EUR"}));
  EXPECT_EQ(de.price, (domain::Money{990, "EUR"}));
  const domain::Package& fr = (*pkgs)[1];
  EXPECT_EQ(fr.data_mb, domain::kUnlimitedMb);
  EXPECT_EQ(fr.validity_days, 30);
  EXPECT_EQ(fr.type, domain::PackageType::kUnlimited);
  EXPECT_EQ(fr.cost, (domain::Money{1200, "EUR"}));
  EXPECT_EQ(fr.price, (domain::Money{1990, "EUR"}));

  auto json = ParseCatalogFile(R"({"packages": [{"id": "jp-3gb-15d", "name": "Japan", "provider":
      "sample", "countries": ["jpn"], "data": "3GB", "validity_days": 15.0, "type": "starter",
      "cost": "3.00 JPY", "price": "5.00 JPY"}]})",
                               Format::kJson);
  ASSERT_TRUE(json.ok()) << json.status().message();
  EXPECT_EQ((*json)[0].validity_days, 15);

  std::string nonsense =
      "id,name,provider,countries,region,data,validity_days,type,cost,price\n"
      "x-1,X,sample,DE,,5 TB,7.5,prepaid,\"1,000 EUR\",4.50 EURO\n";
  auto bad = ParseCatalogFile(nonsense, Format::kCsv);
  ASSERT_FALSE(bad.ok());
  std::vector<std::string> fields;
  for (const auto& d : bad.status().details()) fields.push_back(d.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"row 2 data", "row 2 validity_days", "row 2 type",
                                              "row 2 cost", "row 2 price"}));
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
