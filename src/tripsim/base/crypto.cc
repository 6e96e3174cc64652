#include "tripsim/base/crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <pthread.h>

#include <array>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace tripsim::crypto {
namespace {

constexpr size_t kNonceBytes = 12;
constexpr size_t kTagBytes = 16;
constexpr char kHexDigits[] = "0123456789abcdef";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

}  // namespace

std::string HexEncode(std::string_view bytes) {
  std::string out(bytes.size() * 2, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    auto b = static_cast<unsigned char>(bytes[i]);
    out[2 * i] = kHexDigits[b >> 4];
    out[2 * i + 1] = kHexDigits[b & 0xf];
  }
  return out;
}

Result<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return InvalidArgument("hex string has odd length");
  std::string out(hex.size() / 2, '\0');
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = HexValue(hex[2 * i]);
    int lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return InvalidArgument("not a hex string");
    out[i] = static_cast<char>((hi << 4) | lo);
  }
  return out;
}

namespace {

// OpenSSL 3 looks an algorithm up by name on every one-shot call (HMAC(), EVP_Digest() with
// EVP_sha256()): a locked table lookup per signature checked. The algorithms are fetched once
// per process, and each thread keeps a context set up for SHA-256 that a new key re-arms.
EVP_MD* FetchedSha256() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

EVP_MAC_CTX* ThreadHmacSha256() {
  static EVP_MAC* hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  thread_local std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx = [] {
    std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> c(EVP_MAC_CTX_new(hmac),
                                                                &EVP_MAC_CTX_free);
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    if (c && EVP_MAC_CTX_set_params(c.get(), params) != 1) c.reset();
    return c;
  }();
  return ctx.get();
}

}  // namespace

std::string HmacSha256Hex(std::string_view key, std::string_view message) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  size_t len = 0;
  EVP_MAC_CTX* ctx = ThreadHmacSha256();
  const bool ok = ctx != nullptr &&
                  EVP_MAC_init(ctx, reinterpret_cast<const unsigned char*>(key.data()), key.size(),
                               nullptr) == 1 &&
                  EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(message.data()),
                                 message.size()) == 1 &&
                  EVP_MAC_final(ctx, mac.data(), &len, mac.size()) == 1;
  if (!ok) std::abort();  // OpenSSL without HMAC-SHA-256: nothing can be verified
  return HexEncode(std::string_view(reinterpret_cast<const char*>(mac.data()), len));
}

std::string Sha256Hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md.data(), &len, FetchedSha256(), nullptr) != 1) {
    std::abort();  // OpenSSL without SHA-256
  }
  return HexEncode(std::string_view(reinterpret_cast<const char*>(md.data()), len));
}

namespace {

// Bumped in a forked child, whose copies of the parents' pools must not be used again.
std::atomic<uint64_t> g_fork_generation{0};

// OpenSSL's bytes, drawn 4 KiB at a time per thread: RAND_bytes checks for a fork (a getpid
// system call) and takes a lock on every call, which the request path would pay for each id.
struct RandomPool {
  unsigned char bytes[4096];  // filled before the first read: `used` starts at the end
  size_t used = sizeof(bytes);
  uint64_t generation = 0;

  void Take(unsigned char* out, size_t n) {
    const uint64_t now = g_fork_generation.load(std::memory_order_relaxed);
    if (generation != now || used + n > sizeof(bytes)) {
      TRIPSIM_CHECK(RAND_bytes(bytes, sizeof(bytes)) == 1);
      used = 0;
      generation = now;
    }
    std::memcpy(out, bytes + used, n);
    OPENSSL_cleanse(bytes + used, n);  // handed out once
    used += n;
  }
};

}  // namespace

std::string RandomBytes(size_t n) {
  static const bool registered = [] {
    pthread_atfork(nullptr, nullptr, [] { g_fork_generation.fetch_add(1); });
    return true;
  }();
  (void)registered;
  std::string out(n, '\0');
  auto* dst = reinterpret_cast<unsigned char*>(out.data());
  if (n <= 64) {
    thread_local RandomPool pool;
    pool.Take(dst, n);
  } else {
    TRIPSIM_CHECK(RAND_bytes(dst, static_cast<int>(n)) == 1);
  }
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Result<std::string> Seal(std::string_view key, std::string_view plaintext) {
  if (key.size() != 32) return InvalidArgument("the master key must be 32 bytes");
  std::string nonce = RandomBytes(kNonceBytes);
  CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  std::string out = nonce;
  out.resize(kNonceBytes + plaintext.size() + kTagBytes);
  auto* dst = reinterpret_cast<unsigned char*>(out.data()) + kNonceBytes;
  int len = 0;
  int total = 0;
  bool ok = EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                               reinterpret_cast<const unsigned char*>(key.data()),
                               reinterpret_cast<const unsigned char*>(nonce.data())) == 1 &&
            EVP_EncryptUpdate(ctx.get(), dst, &len,
                              reinterpret_cast<const unsigned char*>(plaintext.data()),
                              static_cast<int>(plaintext.size())) == 1;
  total = len;
  ok = ok && EVP_EncryptFinal_ex(ctx.get(), dst + total, &len) == 1;
  total += len;
  ok = ok && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, dst + total) == 1;
  if (!ok) return Internal("encryption failed");
  return HexEncode(out);
}

Result<std::string> Open(std::string_view key, std::string_view sealed_hex) {
  if (key.size() != 32) return InvalidArgument("the master key must be 32 bytes");
  Result<std::string> sealed = HexDecode(sealed_hex);
  if (!sealed.ok() || sealed->size() < kNonceBytes + kTagBytes) {
    return InvalidArgument("sealed data is malformed");
  }
  const auto* raw = reinterpret_cast<const unsigned char*>(sealed->data());
  size_t body = sealed->size() - kNonceBytes - kTagBytes;
  std::string out(body, '\0');
  CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  int len = 0;
  std::array<unsigned char, kTagBytes> tag{};
  std::copy(raw + kNonceBytes + body, raw + sealed->size(), tag.begin());
  bool ok =
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                         reinterpret_cast<const unsigned char*>(key.data()), raw) == 1 &&
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len,
                        raw + kNonceBytes, static_cast<int>(body)) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + len, &len) == 1;
  if (!ok) return InvalidArgument("sealed data does not open with this key");
  return out;
}

}  // namespace tripsim::crypto
