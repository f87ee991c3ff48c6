// Hooks through which the Kubernetes plumbing reports what it did, so that whoever counts (the
// metrics module) plugs in here and kube/ stays free of any metrics library. A hook is called on
// the thread that did the work and must be quick and thread-safe; an empty one is not called.
#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace cellar::kube {

// One answered (or unanswered) API request. `verb` is Kubernetes' name for it (get, list, watch,
// create, update, patch, delete); `code` the HTTP status, or "error" when no answer came.
using RequestObserver = std::function<void(const std::string& verb, const std::string& code)>;

// One reconcile pass: how long it took and whether it returned an error.
using ReconcileObserver = std::function<void(std::chrono::duration<double> took, bool failed)>;

}  // namespace cellar::kube
