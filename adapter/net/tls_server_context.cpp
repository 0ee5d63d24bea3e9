#include "net/tls_server_context.hpp"

#include <boost/asio/ssl.hpp>

#include "tls/tls_identity.hpp"

namespace cti {

std::shared_ptr<boost::asio::ssl::context> make_tls_server_context(const tls::TlsIdentity& identity) {
    namespace ssl = boost::asio::ssl;
    auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
    context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                         ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                         ssl::context::single_dh_use);
    context->use_certificate_chain(boost::asio::buffer(identity.certificate_pem));
    context->use_private_key(boost::asio::buffer(identity.key_pem), ssl::context::pem);
    return context;
}

}  // namespace cti
