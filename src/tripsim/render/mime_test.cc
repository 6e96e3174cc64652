#include "tripsim/render/mime.h"

#include <gtest/gtest.h>

namespace tripsim::render {
namespace {

TEST(EncodeHeaderText, KeepsAsciiAndEncodesTheRest) {
  EXPECT_EQ(EncodeHeaderText("Your eSIM is ready"), "Your eSIM is ready");
  EXPECT_EQ(EncodeHeaderText("Für"), "=?UTF-8?B?RsO8cg==?=");
}

TEST(EncodeHeaderText, NeverLetsALineBreakThrough) {
  std::string v = EncodeHeaderText("Hi\r\nBcc: victim@example.com");
  EXPECT_EQ(v.find('\n'), std::string::npos);
  EXPECT_EQ(v, "HiBcc: victim@example.com");
  std::string long_utf8 =
      EncodeHeaderText(std::string(40, 'a') + "ü\r\nX-Injected: 1" + std::string(60, 'b'));
  // Folding inserts CRLF + space only: no line may start a new header.
  for (size_t pos = long_utf8.find("\r\n"); pos != std::string::npos;
       pos = long_utf8.find("\r\n", pos + 2)) {
    EXPECT_EQ(long_utf8[pos + 2], ' ');
  }
}

TEST(FormatAddress, QuotesOrEncodesDisplayNames) {
  EXPECT_EQ(FormatAddress("", "a@example.com"), "a@example.com");
  EXPECT_EQ(FormatAddress("Demo Travel", "a@example.com"), "\"Demo Travel\" <a@example.com>");
  EXPECT_EQ(FormatAddress("Zoë", "a@example.com"), "=?UTF-8?B?Wm/Dqw==?= <a@example.com>");
  EXPECT_EQ(FormatAddress("Evil <x@y>\r\nBcc: z@w", "a@example.com").find("\r\nBcc"),
            std::string::npos);
}

TEST(Base64Lines, WrapsAt76) {
  std::string out = Base64Lines(std::string(100, 'x'));
  EXPECT_EQ(out.find("\r\n"), 76u);
}

}  // namespace
}  // namespace tripsim::render
