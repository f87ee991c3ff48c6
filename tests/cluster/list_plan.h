// How kube-apiserver (1.28–1.33, watch cache on) serves a list, decided from its query alone:
// validation of resourceVersion, resourceVersionMatch, continue and limit, then where the list
// is read from. A pure function, so each rule is tested without a server.
//
// - resourceVersion "0", NotOlderThan, or a bare "N" without limit: the watch cache, the whole
//   collection at its latest state, `limit` ignored.
// - unset resourceVersion: a consistent read from storage (etcd), paged by `limit`.
// - Exact "N", or a bare "N" with limit (the legacy exact read): storage at N, paged.
// - continue: storage at the token's resourceVersion (the latest for a -1 token), after its key.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "tests/cluster/api_error.h"
#include "tests/cluster/list_paging.h"
#include "tests/cluster/store.h"

namespace cellar::testcluster {

struct ListQuery {
  std::string resource_version;
  std::string resource_version_match;
  std::string continue_token;
  std::string limit;  // as sent; "" or unparsable: no limit, as kube-apiserver reads it
};

struct ListPlan {
  bool from_cache = false;  // whole and latest; otherwise a storage read that honours limit
  uint64_t at = 0;          // the resourceVersion to read at (0: the latest)
  // NotOlderThan/"N" from the cache: the latest state must have reached this version.
  uint64_t not_older_than = 0;
  std::string start_after;  // from the continue token
  bool continued = false;   // a continue token was given (its 410 is kContinueExpiredMessage)
  size_t limit = 0;         // 0: all
};

Outcome<ListPlan> plan_list(const ListQuery& query);

// The 410 for a continue token whose resourceVersion has left the window: kube-apiserver's
// message, and in metadata.continue a token (resourceVersion -1) that continues from the same
// key at the latest state, for a client that accepts an inconsistent list.
nlohmann::json continue_expired_status(const std::string& start_after);

}  // namespace cellar::testcluster
