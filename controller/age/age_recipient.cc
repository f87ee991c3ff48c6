#include "controller/age/age_recipient.h"

#include <array>
#include <cstdint>

namespace cellar::age {
namespace {

constexpr const char* kPrefix = "age1";
constexpr const char* kCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
// 32 bytes of key in 5-bit groups (52) and the 6-character checksum.
constexpr size_t kDataLength = 58;

// BIP-173's checksum over the expanded human-readable part and the data; 1 when it holds.
uint32_t polymod(const std::vector<uint8_t>& values) {
  constexpr std::array<uint32_t, 5> kGenerator = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd,
                                                  0x2a1462b3};
  uint32_t checksum = 1;
  for (uint8_t value : values) {
    const uint32_t top = checksum >> 25;
    checksum = ((checksum & 0x1ffffff) << 5) ^ value;
    for (size_t i = 0; i < kGenerator.size(); ++i) {
      if ((top >> i) & 1) checksum ^= kGenerator[i];
    }
  }
  return checksum;
}

std::string trimmed(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1);
}

}  // namespace

std::optional<std::string> recipient_problem(const std::string& recipient) {
  const std::string expected =
      "an age public key is \"age1\" and 58 lowercase bech32 characters "
      "(what age-keygen prints as \"Public key\")";
  if (!recipient.starts_with(kPrefix)) return "it does not start with \"age1\": " + expected;
  const std::string data = recipient.substr(4);
  if (data.size() != kDataLength) {
    return "it has " + std::to_string(data.size()) +
           " characters after \"age1\", not 58: " + expected;
  }
  // The human-readable part "age", expanded as BIP-173 does, then the data's 5-bit values.
  std::vector<uint8_t> values = {'a' >> 5, 'g' >> 5, 'e' >> 5, 0, 'a' & 31, 'g' & 31, 'e' & 31};
  const std::string charset = kCharset;
  for (char c : data) {
    const size_t at = charset.find(c);
    if (at == std::string::npos) {
      return std::string("it holds '") + c + "', which bech32 does not use: " + expected;
    }
    values.push_back(static_cast<uint8_t>(at));
  }
  if (polymod(values) != 1) {
    return "its checksum does not match (a character was mistyped or lost): " + expected;
  }
  return std::nullopt;
}

std::vector<std::string> split_recipients(const std::string& list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = list.find(',', start);
    const size_t end = comma == std::string::npos ? list.size() : comma;
    std::string one = trimmed(list.substr(start, end - start));
    if (!one.empty()) out.push_back(std::move(one));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string join_recipients(const std::vector<std::string>& recipients) {
  std::string out;
  for (const std::string& r : recipients) out += (out.empty() ? "" : ",") + r;
  return out;
}

}  // namespace cellar::age
