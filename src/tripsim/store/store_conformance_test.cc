// The Store conformance suite, instantiated on every Store (store_conformance.h): partners and
// the catalog here, the other areas in the store_conformance_*_test.cc files.
#include <gtest/gtest.h>

#include "tripsim/store/store_conformance.h"

namespace tripsim::store::test {
namespace {

using domain::Partner;

TEST_P(StoreConformance, PartnersRoundTripAndKeysAreUnique) {
  auto p = store_->FindPartnerByApiKey("key-pt_a");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(*p, MakePartner("pt_a"));
  EXPECT_EQ(store_->CreatePartner(MakePartner("pt_a")).code(), ErrorCode::kAlreadyExists);
  Partner changed = *p;
  changed.enabled = false;
  changed.webhook_url = "https://example.com/hook";
  ASSERT_TRUE(store_->UpdatePartner(changed).ok());
  EXPECT_EQ(*store_->GetPartner("pt_a"), changed);
  EXPECT_EQ(store_->GetPartner("pt_zz").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->UpdatePartner(MakePartner("pt_zz")).code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->ListPartners()->size(), 2u);
}

TEST_P(StoreConformance, PackagesUpsertAndRetire) {
  Result<int64_t> before = store_->CatalogVersion();
  ASSERT_TRUE(before.ok()) << before.status().message();
  EXPECT_EQ(*store_->CatalogVersion(), *before);  // reading does not move it
  ASSERT_TRUE(store_->UpsertPackages({MakePackage("a"), MakePackage("b")}, false).ok());
  Result<int64_t> after = store_->CatalogVersion();
  ASSERT_TRUE(after.ok());
  EXPECT_NE(*after, *before);
  domain::Package a2 = MakePackage("a");
  a2.validity_days = 30;
  ASSERT_TRUE(store_->UpsertPackages({a2}, true).ok());
  auto all = store_->ListPackages();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0], a2);
  EXPECT_TRUE((*all)[1].retired);
}

INSTANTIATE_TEST_SUITE_P(AllStores, StoreConformance, ::testing::ValuesIn(AllStores()),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace tripsim::store::test
