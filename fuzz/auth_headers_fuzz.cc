// libFuzzer target: signature verification on arbitrary headers never crashes and never
// accepts a request whose signature it did not compute.
#include <cstddef>
#include <cstdint>
#include <string>

#include "tripsim/auth/verifier.h"

namespace {

class OneKey : public tripsim::auth::KeyStore {
 public:
  tripsim::Result<std::optional<tripsim::auth::Credentials>> Find(
      std::string_view key) const override {
    if (key != "tk_fuzz") return std::optional<tripsim::auth::Credentials>();
    return std::optional<tripsim::auth::Credentials>(
        tripsim::auth::Credentials{"pt_fuzz", "secret", true, key.size() % 2 == 0, "", 0});
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tripsim;
  // Fields separated by '\n': key, timestamp, signature, method, target, body hash, body.
  std::string in(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> f;
  size_t start = 0;
  for (int i = 0; i < 6; ++i) {
    size_t nl = in.find('\n', start);
    if (nl == std::string::npos) nl = in.size();
    f.push_back(in.substr(start, nl - start));
    start = std::min(in.size(), nl + 1);
  }
  f.push_back(in.substr(start));
  static const OneKey keys;
  static const FakeClock clock(1715558400000);
  auth::SignedRequest r{f[3], f[4], f[0], f[1], f[2], f[5], f[6]};
  auth::Verification v = auth::Verify(r, keys, clock, {});
  if (v.status.ok()) {
    TRIPSIM_CHECK(f[0] == "tk_fuzz");
    std::string lower = f[2];
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    TRIPSIM_CHECK(lower == auth::Sign("secret", f[1], f[3], f[4], ""));
  }
  return 0;
}
