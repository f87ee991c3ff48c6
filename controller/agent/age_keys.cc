#include "controller/agent/age_keys.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>

#include "controller/agent/child_process.h"
#include "controller/agent/sha256_stream.h"

namespace cellar::agent {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

std::string recipient_fingerprint(const std::string& recipient) {
  Sha256Stream hash;
  hash.update(recipient.data(), recipient.size());
  return hash.hex_digest().substr(0, 16);
}

std::vector<std::string> recipient_fingerprints(const std::vector<std::string>& recipients) {
  std::vector<std::string> out;
  out.reserve(recipients.size());
  for (const std::string& r : recipients) out.push_back(recipient_fingerprint(r));
  return out;
}

std::string age_keygen_for(const std::string& age) {
  const size_t slash = age.rfind('/');
  if (slash == std::string::npos) return "age-keygen";
  return age.substr(0, slash + 1) + "age-keygen";
}

IdentityRecipients identity_recipients(const std::string& age_keygen,
                                       const std::string& identity_file) {
  IdentityRecipients result;
  // Say plainly when the file is not there, before age-keygen words it its own way.
  const int fd = open(identity_file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    result.error =
        "cannot read the age identity file " + identity_file + ": " + std::strerror(errno);
    return result;
  }
  close(fd);
  std::string error;
  std::optional<ProgramOutput> output = run_program({age_keygen, "-y", identity_file}, {}, &error);
  if (!output) {
    result.error = error + " (the agent needs age-keygen to check the identity)";
    return result;
  }
  // age-keygen's stderr may quote the file, so it is never passed on.
  if (output->status != 0) {
    result.error = "the age identity file " + identity_file +
                   " holds no age identity (an AGE-SECRET-KEY-1... line, as age-keygen writes "
                   "it); check the Secret key that spec.decryption.identitySecretRef names";
    return result;
  }
  std::istringstream lines(output->out);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("age1")) result.recipients.push_back(line);
  }
  if (result.recipients.empty()) {
    result.error = "the age identity file " + identity_file +
                   " holds no X25519 age identity (AGE-SECRET-KEY-1...)";
  }
  return result;
}

std::optional<std::string> identity_mismatch(const std::vector<std::string>& have,
                                             const std::vector<std::string>& dump_recipients) {
  for (const std::string& r : have) {
    if (std::find(dump_recipients.begin(), dump_recipients.end(), r) != dump_recipients.end()) {
      return std::nullopt;
    }
  }
  return "the age identity given is for " + joined(have) + ", but this dump was encrypted to " +
         joined(dump_recipients) +
         ": give the Restore the identity of one of those (spec.decryption.identitySecretRef); "
         "nothing was restored";
}

}  // namespace cellar::agent
