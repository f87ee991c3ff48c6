// age (age-encryption.org/v1) X25519 recipients, as users write them in
// spec.encryption.ageRecipients: "age1" and 58 bech32 characters. The CRD's pattern catches the
// shape at apply time; this checks the bech32 checksum too, so a key with a typo is refused with
// a message before any dump is encrypted to a key nobody holds.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace cellar::age {

// What is wrong with `recipient` as an age X25519 public key, in words; nullopt when it is one.
std::optional<std::string> recipient_problem(const std::string& recipient);

// The recipients of a comma-separated list (CELLAR_AGE_RECIPIENTS), blanks around each dropped.
std::vector<std::string> split_recipients(const std::string& list);
std::string join_recipients(const std::vector<std::string>& recipients);

}  // namespace cellar::age
