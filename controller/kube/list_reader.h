// Reads a list answer (`{"kind": "…List", "metadata": {…}, "items": […]}`) one item at a time.
//
// A page of 500 Jobs is megabytes of JSON; parsed whole it becomes tens of megabytes of nodes,
// freed again once the cache has taken its projections — and the cache's small allocations,
// made in between, pin the freed pages so the process never gives them back. Read here, only one
// item is a document at any time.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace cellar::kube {

// Calls `item` for each element of the top-level "items" array, in order, and returns the rest
// of the answer (apiVersion, kind, metadata; "items" is left out). nullopt when `body` is not
// JSON or not an object; items before the fault have been delivered by then.
std::optional<nlohmann::json> read_list(std::string_view body,
                                        const std::function<void(nlohmann::json&&)>& item);

}  // namespace cellar::kube
