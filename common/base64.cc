#include "common/base64.h"

#include <cstdint>

namespace gatehouse {
namespace {

constexpr std::string_view kStandard =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrl =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string Encode(std::string_view bytes, std::string_view alphabet, bool pad) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += alphabet[(buffer >> bits) & 0x3f];
    }
  }
  if (bits > 0) out += alphabet[(buffer << (6 - bits)) & 0x3f];
  while (pad && out.size() % 4 != 0) out += '=';
  return out;
}

std::optional<std::string> Decode(std::string_view encoded, std::string_view alphabet, bool pad) {
  if (pad) {
    if (encoded.size() % 4 != 0) return std::nullopt;
    // At most two `=`, and only at the end.
    for (int i = 0; i < 2 && encoded.ends_with('='); ++i) encoded.remove_suffix(1);
  }
  if (encoded.size() % 4 == 1) return std::nullopt;  // no byte count gives this length
  std::string out;
  out.reserve(encoded.size() * 3 / 4);
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : encoded) {
    const size_t value = alphabet.find(c);
    if (value == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

}  // namespace

std::string EncodeBase64(std::string_view bytes) { return Encode(bytes, kStandard, true); }
std::optional<std::string> DecodeBase64(std::string_view encoded) {
  return Decode(encoded, kStandard, true);
}
std::string EncodeBase64Url(std::string_view bytes) { return Encode(bytes, kUrl, false); }
std::optional<std::string> DecodeBase64Url(std::string_view encoded) {
  return Decode(encoded, kUrl, false);
}

}  // namespace gatehouse
