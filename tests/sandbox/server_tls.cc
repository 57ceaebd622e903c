#include "tests/sandbox/server_tls.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstring>
#include <exception>

namespace sandbox {
namespace {

namespace net = boost::asio;
namespace ssl = net::ssl;

// AES-128-GCM first, and the server's order decides (clients' own orders differ: OpenSSL's puts
// AES-256 first): the cheapest suite for bulk streams on CPUs with AES-NI. Every usual suite stays
// offered, so any TLS 1.2/1.3 client negotiates as it would with kube-apiserver.
constexpr const char* kTls13Suites =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
// OpenSSL's DEFAULT set with ECDHE AES-128-GCM moved first ("DEFAULT" itself is only valid
// at the start of a list, and "X:DEFAULT" would leave just X).
constexpr const char* kTls12Ciphers = "ECDHE+AES128+AESGCM:ALL:!COMPLEMENTOFDEFAULT:!eNULL";

// ALPN: HTTP/1.1 only (clients that prefer h2 fall back).
int SelectAlpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
               unsigned int inlen, void*) {
  for (unsigned int i = 0; i < inlen;) {
    unsigned int len = in[i];
    if (len == 8 && i + 1 + len <= inlen && std::memcmp(in + i + 1, "http/1.1", 8) == 0) {
      *out = in + i + 1;
      *outlen = static_cast<unsigned char>(len);
      return SSL_TLSEXT_ERR_OK;
    }
    i += 1 + len;
  }
  return SSL_TLSEXT_ERR_NOACK;
}

// Accept any certificate during the handshake; identity is only taken from verified ones.
int AcceptAnyCertificate(int, X509_STORE_CTX*) { return 1; }

std::string NameEntry(X509_NAME* name, int nid, int* last) {
  int index = X509_NAME_get_index_by_NID(name, nid, *last);
  if (index < 0) return "";
  *last = index;
  ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  int len = ASN1_STRING_to_UTF8(&utf8, data);
  if (len < 0) return "";
  std::string out(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
  OPENSSL_free(utf8);
  return out;
}

}  // namespace

mm::Result<void> ConfigureServerTls(ssl::context& context, const TlsMaterial& tls) {
  try {
    context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                        ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    context.use_certificate_chain(net::buffer(tls.cert_pem));
    context.use_private_key(net::buffer(tls.key_pem), ssl::context::pem);
    context.add_certificate_authority(net::buffer(tls.client_ca_pem));
  } catch (const std::exception& e) {
    return mm::Error::Transport(std::string("TLS setup: ") + e.what());
  }
  SSL_CTX* ctx = context.native_handle();
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, AcceptAnyCertificate);
  SSL_CTX_set_alpn_select_cb(ctx, SelectAlpn, nullptr);
  SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_ciphersuites(ctx, kTls13Suites) != 1 ||
      SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1) {
    return mm::Error::Transport("TLS setup: cannot set the cipher suites");
  }
  BIO* bio = BIO_new_mem_buf(tls.client_ca_pem.data(), static_cast<int>(tls.client_ca_pem.size()));
  if (X509* ca = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
    SSL_CTX_add_client_CA(ctx, ca);
    X509_free(ca);
  }
  BIO_free(bio);
  SSL_CTX_set_session_id_context(ctx, reinterpret_cast<const unsigned char*>("kube-sandbox"), 12);
  return {};
}

PeerIdentity VerifiedPeer(SSL* ssl) {
  PeerIdentity identity;
  X509* peer = SSL_get0_peer_certificate(ssl);
  if (peer == nullptr || SSL_get_verify_result(ssl) != X509_V_OK) return identity;
  X509_NAME* subject = X509_get_subject_name(peer);
  int last = -1;
  identity.user = NameEntry(subject, NID_commonName, &last);
  last = -1;
  for (std::string org; !(org = NameEntry(subject, NID_organizationName, &last)).empty();) {
    identity.groups.push_back(org);
  }
  return identity;
}

}  // namespace sandbox
