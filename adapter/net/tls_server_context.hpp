// The OpenSSL server context for wss:// and https:// from the adapter's key and certificate.
#pragma once

#include <memory>

namespace boost::asio::ssl {
class context;
}

namespace cti {
namespace tls {
struct TlsIdentity;
}

// TLS 1.2 and later only. Throws std::runtime_error when OpenSSL refuses the key or certificate.
std::shared_ptr<boost::asio::ssl::context> make_tls_server_context(const tls::TlsIdentity& identity);

}  // namespace cti
