#include "tests/cluster/tls_material.h"

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace cellar::testcluster {

namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

constexpr long kValiditySeconds = 365L * 24 * 3600;

std::string openssl_error(const std::string& what) {
  unsigned long code = ERR_get_error();
  char buffer[256] = "unknown error";
  if (code != 0) ERR_error_string_n(code, buffer, sizeof buffer);
  return what + ": " + buffer;
}

KeyPtr make_key() {
  return KeyPtr(EVP_EC_gen("P-256"));
}

bool add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) return false;
  bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

// A certificate for `key` named `common_name`, signed by `issuer_key` (issuer null: self-signed).
CertPtr make_cert(EVP_PKEY* key, const std::string& common_name, X509* issuer, EVP_PKEY* issuer_key,
                  bool is_ca, long serial) {
  CertPtr cert(X509_new());
  if (!cert) return nullptr;
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
  // An hour of slack so that clocks a little apart still agree the certificate is valid.
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), kValiditySeconds);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  X509* signer = issuer ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  bool ok = true;
  if (is_ca) {
    ok = ok && add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    ok = ok && add_extension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    ok = ok && add_extension(cert.get(), signer, NID_subject_key_identifier, "hash");
  } else {
    ok = ok && add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
    ok = ok && add_extension(cert.get(), signer, NID_key_usage,
                             "critical,digitalSignature,keyEncipherment");
    ok = ok && add_extension(cert.get(), signer, NID_ext_key_usage, "serverAuth");
    ok =
        ok && add_extension(cert.get(), signer, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
    ok = ok && add_extension(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
  }
  if (!ok) return nullptr;
  if (X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()) == 0) return nullptr;
  return cert;
}

std::string cert_pem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

std::string key_pem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

}  // namespace

std::optional<TlsMaterial> make_tls_material(std::string* error) {
  KeyPtr ca_key = make_key();
  KeyPtr server_key = make_key();
  if (!ca_key || !server_key) {
    *error = openssl_error("cannot make a key");
    return std::nullopt;
  }
  CertPtr ca = make_cert(ca_key.get(), "cellar-test-cluster-ca", nullptr, nullptr, true, 1);
  if (!ca) {
    *error = openssl_error("cannot make the CA certificate");
    return std::nullopt;
  }
  CertPtr server =
      make_cert(server_key.get(), "cellar-test-cluster", ca.get(), ca_key.get(), false, 2);
  if (!server) {
    *error = openssl_error("cannot make the server certificate");
    return std::nullopt;
  }
  return TlsMaterial{cert_pem(ca.get()), cert_pem(server.get()), key_pem(server_key.get())};
}

std::string make_bearer_token() {
  unsigned char bytes[32];
  RAND_bytes(bytes, sizeof bytes);
  static const char* kHex = "0123456789abcdef";
  std::string token;
  for (unsigned char b : bytes) {
    token += kHex[b >> 4];
    token += kHex[b & 15];
  }
  return token;
}

}  // namespace cellar::testcluster
