// Continue tokens for paged lists (?limit=&continue=), shaped as kube-apiserver's: base64url of
// {"v":"meta.k8s.io/v1","rv":R,"start":"<namespace>/<name>\u0000"}, naming the list's
// resourceVersion and the key after which the next page starts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace cellar::testcluster {

struct ContinueToken {
  // The list's resourceVersion; -1 (only in the token a 410 hands back): the latest state.
  int64_t resource_version = 0;
  std::string start_after;  // "<namespace>/<name>" of the last object already returned
};

std::string encode_continue(const ContinueToken& token);
// nullopt when the token is not one this server made (a resourceVersion of 0 included).
std::optional<ContinueToken> decode_continue(const std::string& text);

// The message of the 410 answered for a token older than the history; the 410's
// metadata.continue then carries a token with resourceVersion -1 for the rest of the list.
inline constexpr const char* kContinueExpiredMessage =
    "The provided continue parameter is too old to display a consistent list result. You can "
    "start a new list without the continue parameter, or use the continue token in this response "
    "to retrieve the remainder of the results. Continuing with the provided token results in an "
    "inconsistent list - objects that were created, modified, or deleted between the time the "
    "first chunk was returned and now may show up in the list.";

}  // namespace cellar::testcluster
