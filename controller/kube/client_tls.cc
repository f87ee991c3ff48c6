#include "controller/kube/client_tls.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <cstdlib>
#include <mutex>
#include <optional>

namespace cellar::kube {

std::string openssl_error() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(code, buf, sizeof buf);
  return buf;
}

namespace {

Result<std::vector<X509Ptr>> parse_certificates(const std::string& pem, const std::string& what) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  std::vector<X509Ptr> certs;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    certs.emplace_back(cert);
  }
  // Reading stops at the end of the data with an error on OpenSSL's queue: expected, dropped.
  ERR_clear_error();
  if (certs.empty()) return Error::transport(what + ": no PEM certificate found");
  return certs;
}

Result<PKeyPtr> parse_key(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (!key) return Error::transport("client key: not a PEM private key (" + openssl_error() + ")");
  return PKeyPtr(key);
}

// What $SSL_CERT_FILE said before skip_default_trust_store() changed it; nullopt until then.
std::optional<std::string>& saved_cert_file() {
  static std::optional<std::string> saved;
  return saved;
}

}  // namespace

void skip_default_trust_store() {
  static std::once_flag once;
  std::call_once(once, [] {
    const char* file = std::getenv(X509_get_default_cert_file_env());
    saved_cert_file() = file != nullptr ? file : "";
    setenv(X509_get_default_cert_file_env(), "/dev/null", 1);
  });
}

X509_STORE* system_trust_store() {
  static X509_STORE* const store = [] {
    X509_STORE* s = X509_STORE_new();
    const char* env_file = std::getenv(X509_get_default_cert_file_env());
    std::string file = saved_cert_file().value_or(env_file != nullptr ? env_file : "");
    if (file.empty()) file = X509_get_default_cert_file();
    const char* dir = std::getenv(X509_get_default_cert_dir_env());
    // Either may be missing (images carry a bundle, a hashed folder, or both): each on its own.
    X509_STORE_load_locations(s, file.c_str(), nullptr);
    X509_STORE_load_locations(s, nullptr, dir != nullptr ? dir : X509_get_default_cert_dir());
    ERR_clear_error();
    return s;
  }();
  return store;
}

void TlsMaterial::install(SSL_CTX* ctx) const {
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  if (!authorities.empty()) {
    X509_STORE* store = X509_STORE_new();
    for (const auto& ca : authorities) X509_STORE_add_cert(store, ca.get());
    SSL_CTX_set_cert_store(ctx, store);
  } else if (system_roots) {
    X509_STORE* store = system_trust_store();
    X509_STORE_up_ref(store);  // the context's reference; the shared one stays
    SSL_CTX_set_cert_store(ctx, store);
  }
  if (!client_chain.empty()) {
    SSL_CTX_use_certificate(ctx, client_chain.front().get());
    for (size_t i = 1; i < client_chain.size(); ++i) {
      SSL_CTX_add1_chain_cert(ctx, client_chain[i].get());
    }
    SSL_CTX_use_PrivateKey(ctx, client_key.get());
  }
}

Result<std::shared_ptr<TlsMaterial>> load_tls(const Config& config) {
  auto tls = std::make_shared<TlsMaterial>();
  if (!config.ca_pem.empty()) {
    auto cas = parse_certificates(config.ca_pem, "certificate authority");
    if (!cas) return cas.error();
    tls->authorities = std::move(*cas);
  }
  if (!config.client_cert_pem.empty() || !config.client_key_pem.empty()) {
    auto chain = parse_certificates(config.client_cert_pem, "client certificate");
    if (!chain) return chain.error();
    auto key = parse_key(config.client_key_pem);
    if (!key) return key.error();
    if (X509_check_private_key(chain->front().get(), key->get()) != 1) {
      ERR_clear_error();
      return Error::transport("client certificate and client key do not match");
    }
    tls->client_chain = std::move(*chain);
    tls->client_key = std::move(*key);
  }
  return tls;
}

}  // namespace cellar::kube
