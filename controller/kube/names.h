// Names and label values derived from other names, cut to what Kubernetes allows.
//
// An object's name may be up to 253 characters, but a label value, a Job's name (the Job
// controller puts it in its Pods' labels) and a Service's name may be only 63, and a file name
// only 255 bytes. A derived name that does not fit is cut and given a hash of the whole, so two
// long names that share a prefix never derive the same thing, and the same name always derives
// the same thing (a restarted controller finds what it made before).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cellar::kube {

inline constexpr size_t kMaxLabelValue = 63;
inline constexpr size_t kMaxObjectName = 253;

// `name` when it is at most `max` characters; else a prefix of it, without a trailing '-' or '.',
// then '-' and 10 hex digits of the SHA-256 of the whole name. `name` is an object name (an RFC
// 1123 subdomain), so the result is one too, and a valid label value when `max` ≤ 63.
// `max` must be at least 12.
std::string fit_name(std::string_view name, size_t max);

// The label value that stands for the object `name`: fit_name(name, 63). Select by this, never by
// the name itself: a name over 63 characters is not a valid label value.
std::string label_value_for(std::string_view name);

// The first `hex_chars` (at most 64) hex digits of the SHA-256 of `text`.
std::string hex_sha256(std::string_view text, size_t hex_chars);

}  // namespace cellar::kube
