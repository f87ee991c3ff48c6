// The certificates and key a client connection trusts and presents, parsed once from a Config's
// PEM data and installed into the SSL context of every new connection. OpenSSL only: no HTTP
// library here.
#pragma once

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>
#include <vector>

#include "controller/kube/config.h"
#include "controller/kube/error.h"

namespace cellar::kube {

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct PKeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PKeyPtr = std::unique_ptr<EVP_PKEY, PKeyFree>;

struct TlsMaterial {
  std::vector<X509Ptr> authorities;
  std::vector<X509Ptr> client_chain;  // leaf first
  PKeyPtr client_key;
  // Trust the system's authorities (system_trust_store()) instead: for servers outside the
  // cluster, such as webhook receivers.
  bool system_roots = false;

  // Only the configured CA is trusted when there is one, as kubectl does: the system roots are
  // replaced, not extended.
  void install(SSL_CTX* ctx) const;
};

// Points OpenSSL's default CA file at an empty one for this process, remembering where it pointed
// so that system_trust_store() still reads the system's roots (transport_cpprest.cc says why).
// Call before any thread starts: it changes the environment.
void skip_default_trust_store();

// The system's trust store as OpenSSL finds it for this process: $SSL_CERT_FILE (as it was before
// skip_default_trust_store) and $SSL_CERT_DIR, else OpenSSL's own places. Read at the first call
// (a CA bundle takes tens of milliseconds to parse), then shared by every connection that trusts
// it; never freed. Never null: an empty store fails verification, naming the certificate.
X509_STORE* system_trust_store();

// Errors say which part is wrong: no PEM certificate, not a private key, or a key that does not
// match the certificate.
Result<std::shared_ptr<TlsMaterial>> load_tls(const Config& config);

// The last OpenSSL error as text, clearing the queue.
std::string openssl_error();

}  // namespace cellar::kube
