#include "tripsim/store/row_codec.h"

#include <gtest/gtest.h>

namespace tripsim::store {
namespace {

using List = std::vector<std::string>;

TEST(RowCodec, AListReadsBackAsItWasJoined) {
  for (const List& items : {List{}, List{"EMAIL"}, List{"EMAIL", "SMS", "WHATSAPP"}}) {
    EXPECT_EQ(SplitList(JoinList(items)), items);
  }
}

TEST(RowCodec, ExtraSpacesInAStoredListSplitNothing) {
  EXPECT_EQ(SplitList("  EMAIL   SMS "), (List{"EMAIL", "SMS"}));
  EXPECT_EQ(SplitList(" "), List{});
}

}  // namespace
}  // namespace tripsim::store
