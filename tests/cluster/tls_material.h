// The test cluster's TLS identity, made fresh at every start: a self-signed CA and a server
// certificate it signs for IP:127.0.0.1 and DNS:localhost (what kubectl and Cellar's client
// verify), plus a random bearer token.
#pragma once

#include <optional>
#include <string>

namespace cellar::testcluster {

struct TlsMaterial {
  std::string ca_cert_pem;
  std::string server_cert_pem;
  std::string server_key_pem;
};

// Makes the CA and the server certificate (EC P-256, valid from an hour ago for a year). On
// failure returns nullopt and sets *error to OpenSSL's reason.
std::optional<TlsMaterial> make_tls_material(std::string* error);

// A random token of 32 bytes in hex, from OpenSSL's RNG.
std::string make_bearer_token();

}  // namespace cellar::testcluster
