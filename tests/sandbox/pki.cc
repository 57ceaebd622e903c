#include "tests/sandbox/pki.h"

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace sandbox {
namespace {

struct Free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(BIGNUM* p) const { BN_free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Free>;
using Cert = std::unique_ptr<X509, Free>;
using Bio = std::unique_ptr<BIO, Free>;
using Bignum = std::unique_ptr<BIGNUM, Free>;

mm::Error Fail(const std::string& step) {
  return mm::Error::Internal("certificate generation failed at " + step);
}

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(len));
}

mm::Result<std::string> KeyPem(EVP_PKEY* key) {
  Bio bio(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr)) {
    return Fail("PEM_write_bio_PrivateKey");
  }
  return BioText(bio.get());
}

mm::Result<std::string> CertPem(X509* cert) {
  Bio bio(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_X509(bio.get(), cert)) return Fail("PEM_write_bio_X509");
  return BioText(bio.get());
}

bool AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) return false;
  bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

struct Subject {
  std::string cn;
  std::vector<std::string> orgs;
};

// Issues a certificate for `key` signed by `issuer_key` (self-signed when issuer is null).
mm::Result<Cert> Issue(EVP_PKEY* key, const Subject& subject, X509* issuer, EVP_PKEY* issuer_key,
                       const std::vector<std::pair<int, const char*>>& extensions) {
  Cert cert(X509_new());
  Bignum serial(BN_new());
  if (!cert || !serial || !BN_rand(serial.get(), 64, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) ||
      !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) ||
      !X509_set_version(cert.get(), 2)) {
    return Fail("serial");
  }
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 3600);
  X509_NAME* name = X509_get_subject_name(cert.get());
  for (const auto& org : subject.orgs) {
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(org.c_str()), -1, -1, 0);
  }
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(subject.cn.c_str()), -1, -1, 0);
  X509* signer = issuer ? issuer : cert.get();
  if (!X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)) ||
      !X509_set_pubkey(cert.get(), key)) {
    return Fail("X509_set_pubkey");
  }
  for (const auto& [nid, value] : extensions) {
    if (!AddExtension(cert.get(), signer, nid, value))
      return Fail("extension " + std::to_string(nid));
  }
  if (X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()) == 0) {
    return Fail("X509_sign");
  }
  return cert;
}

Key NewKey() { return Key(EVP_EC_gen("P-256")); }

}  // namespace

mm::Result<Pki> GeneratePki(const CertKey& existing_ca, const std::string& client_cn,
                            const std::vector<std::string>& client_orgs) {
  Pki pki;
  Key ca_key;
  Cert ca_cert;
  if (!existing_ca.cert_pem.empty()) {
    Bio cert_bio(BIO_new_mem_buf(existing_ca.cert_pem.data(),
                                 static_cast<int>(existing_ca.cert_pem.size())));
    Bio key_bio(
        BIO_new_mem_buf(existing_ca.key_pem.data(), static_cast<int>(existing_ca.key_pem.size())));
    ca_cert.reset(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr));
    ca_key.reset(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
    if (!ca_cert || !ca_key) return Fail("reading the saved CA");
    pki.ca = existing_ca;
  } else {
    ca_key = NewKey();
    if (!ca_key) return Fail("EVP_EC_gen");
    auto cert = Issue(ca_key.get(), {"kube-sandbox-ca", {}}, nullptr, nullptr,
                      {{NID_basic_constraints, "critical,CA:TRUE"},
                       {NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature"},
                       {NID_subject_key_identifier, "hash"}});
    if (!cert) return cert.error();
    ca_cert = std::move(*cert);
    auto cert_pem = CertPem(ca_cert.get());
    auto key_pem = KeyPem(ca_key.get());
    if (!cert_pem || !key_pem) return Fail("PEM encoding of the CA");
    pki.ca = {*cert_pem, *key_pem};
  }
  auto leaf = [&](const Subject& subject, const char* usage,
                  const char* san) -> mm::Result<CertKey> {
    Key key = NewKey();
    if (!key) return Fail("EVP_EC_gen");
    std::vector<std::pair<int, const char*>> ext = {
        {NID_basic_constraints, "critical,CA:FALSE"},
        {NID_key_usage, "critical,digitalSignature,keyEncipherment"},
        {NID_ext_key_usage, usage},
        {NID_authority_key_identifier, "keyid:always"}};
    if (san != nullptr) ext.push_back({NID_subject_alt_name, san});
    auto cert = Issue(key.get(), subject, ca_cert.get(), ca_key.get(), ext);
    if (!cert) return cert.error();
    auto cert_pem = CertPem(cert->get());
    auto key_pem = KeyPem(key.get());
    if (!cert_pem || !key_pem) return Fail("PEM encoding");
    return CertKey{*cert_pem, *key_pem};
  };
  auto server = leaf({"kube-sandbox", {}}, "serverAuth",
                     "DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,"
                     "DNS:kubernetes.default.svc,IP:127.0.0.1");
  if (!server) return server.error();
  auto client = leaf({client_cn, client_orgs}, "clientAuth", nullptr);
  if (!client) return client.error();
  pki.server = std::move(*server);
  pki.client = std::move(*client);
  return pki;
}

std::string RandomToken() {
  unsigned char bytes[16];
  RAND_bytes(bytes, sizeof bytes);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

}  // namespace sandbox
