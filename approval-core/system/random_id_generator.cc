#include "system/random_id_generator.h"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>
#include <string_view>

namespace gatehouse::core {
namespace {

constexpr std::string_view kAlphabet = "23456789abcdefghjkmnpqrstvwxyz";
constexpr size_t kLength = 8;

}  // namespace

std::string RandomIdGenerator::NewId() {
  std::string id;
  id.reserve(kLength);
  while (id.size() < kLength) {
    std::array<unsigned char, 16> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
      throw std::runtime_error("OpenSSL RAND_bytes failed");
    }
    for (unsigned char byte : bytes) {
      // Rejection sampling keeps every character equally likely.
      const unsigned limit = 256 - (256 % kAlphabet.size());
      if (byte < limit && id.size() < kLength) id += kAlphabet[byte % kAlphabet.size()];
    }
  }
  return id;
}

}  // namespace gatehouse::core
