#include "controller/s3/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <ctime>
#include <map>

namespace cellar::s3 {
namespace {

std::string hex(const unsigned char* data, size_t size) {
  static const char kHex[] = "0123456789abcdef";
  std::string text;
  text.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    text.push_back(kHex[data[i] >> 4]);
    text.push_back(kHex[data[i] & 0xf]);
  }
  return text;
}

std::string hmac_sha256(const std::string& key, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  // HMAC fails only when out of memory; a wrong signature would be worse than stopping.
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out,
           &size) == nullptr) {
    std::abort();
  }
  return std::string(reinterpret_cast<char*>(out), size);
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Leading and trailing blanks removed, inner runs of spaces made one (SigV4's "Trimall").
std::string trim_all(const std::string& value) {
  std::string out;
  bool space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string canonical_query(const std::vector<std::pair<std::string, std::string>>& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [name, value] : query) {
    encoded.emplace_back(uri_encode(name, false), uri_encode(value, false));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string text;
  for (const auto& [name, value] : encoded) {
    if (!text.empty()) text += '&';
    text += name + "=" + value;
  }
  return text;
}

}  // namespace

std::string uri_encode(const std::string& text, bool keep_slash) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
        (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

std::string sha256_hex(const char* data, size_t size) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(size == 0 ? "" : data, size, digest, &length, EVP_sha256(), nullptr) != 1) {
    std::abort();
  }
  return hex(digest, length);
}

std::string amz_date(long long epoch_seconds) {
  std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm utc = {};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

Signature sign_v4(const SigningRequest& request, const Credentials& credentials,
                  const SigningScope& scope) {
  // Same-named headers are joined with commas in the order given, as the suite's
  // get-header-key-duplicate case wants.
  std::map<std::string, std::string> headers;
  for (const auto& [name, value] : request.headers) {
    std::string key = lower(name);
    std::string trimmed = trim_all(value);
    auto [it, inserted] = headers.emplace(key, trimmed);
    if (!inserted) it->second += "," + trimmed;
  }
  Signature result;
  std::string canonical_headers;
  for (const auto& [name, value] : headers) {
    canonical_headers += name + ":" + value + "\n";
    if (!result.signed_headers.empty()) result.signed_headers += ';';
    result.signed_headers += name;
  }
  std::string path = request.path.empty() ? "/" : request.path;
  result.canonical_request = request.method + "\n" + uri_encode(path, true) + "\n" +
                             canonical_query(request.query) + "\n" + canonical_headers + "\n" +
                             result.signed_headers + "\n" + request.payload_hash;

  const std::string date = scope.amz_date.substr(0, 8);
  const std::string credential_scope =
      date + "/" + scope.region + "/" + scope.service + "/aws4_request";
  result.string_to_sign = "AWS4-HMAC-SHA256\n" + scope.amz_date + "\n" + credential_scope + "\n" +
                          sha256_hex(result.canonical_request);

  std::string key = hmac_sha256("AWS4" + credentials.secret_access_key, date);
  key = hmac_sha256(key, scope.region);
  key = hmac_sha256(key, scope.service);
  key = hmac_sha256(key, "aws4_request");
  std::string raw = hmac_sha256(key, result.string_to_sign);
  result.signature = hex(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  result.authorization = "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id + "/" +
                         credential_scope + ", SignedHeaders=" + result.signed_headers +
                         ", Signature=" + result.signature;
  return result;
}

HeaderList sign_s3_request(SigningRequest request, const Credentials& credentials,
                           const std::string& region, long long epoch_seconds) {
  const std::string date = amz_date(epoch_seconds);
  request.headers.emplace_back("x-amz-date", date);
  request.headers.emplace_back("x-amz-content-sha256", request.payload_hash);
  if (!credentials.session_token.empty()) {
    request.headers.emplace_back("x-amz-security-token", credentials.session_token);
  }
  Signature signature = sign_v4(request, credentials, SigningScope{date, region, "s3"});
  HeaderList headers = std::move(request.headers);
  headers.emplace_back("Authorization", signature.authorization);
  return headers;
}

}  // namespace cellar::s3
