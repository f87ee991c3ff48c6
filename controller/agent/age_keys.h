// What the agent needs to know of age keys besides encrypting with them: a short fingerprint of
// a public key for status, and which public keys an identity file (private keys) belongs to, so
// a restore with the wrong identity stops before the target is touched, naming the right key.
// The identity itself is only ever handed to age and age-keygen as a path: never read into a
// message, a log line or an argument.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace cellar::agent {

// The first 16 hex digits of the SHA-256 of the recipient's text ("age1..."), as status shows it:
//   age-keygen -y key.txt | tr -d '\n' | sha256sum | cut -c1-16
std::string recipient_fingerprint(const std::string& recipient);
std::vector<std::string> recipient_fingerprints(const std::vector<std::string>& recipients);

// age-keygen beside `age` ("/usr/bin/age" gives "/usr/bin/age-keygen"; "age" gives "age-keygen").
std::string age_keygen_for(const std::string& age);

struct IdentityRecipients {
  std::vector<std::string> recipients;  // one per identity in the file
  std::string error;                    // when none could be read: why, without the file's text
};

// The public keys of the identities in `identity_file`, by `age-keygen -y`.
IdentityRecipients identity_recipients(const std::string& age_keygen,
                                       const std::string& identity_file);

// Why identities for `have` cannot read a dump encrypted to `dump_recipients`, naming both sides'
// public keys; nullopt when one of `have` is among them.
std::optional<std::string> identity_mismatch(const std::vector<std::string>& have,
                                             const std::vector<std::string>& dump_recipients);

}  // namespace cellar::agent
