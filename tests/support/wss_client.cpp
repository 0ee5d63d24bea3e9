#ifdef CTI_WITH_TLS
#include "support/wss_client.hpp"

#include <boost/asio/ssl.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "support/run_with_deadline.hpp"
#include "tls/certificate_facts.hpp"

namespace cti::test {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

ssl::context trusting_only(const std::string& certificate_pem) {
    ssl::context context(ssl::context::tls_client);
    context.add_certificate_authority(net::buffer(certificate_pem));  // and no system roots
    context.set_verify_mode(ssl::verify_peer);
    return context;
}

std::string presented_certificate_sha256(TlsStream& stream) {
    X509* certificate = SSL_get_peer_certificate(stream.native_handle());
    if (!certificate) return {};
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, certificate);
    char* data = nullptr;
    const auto size = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<std::size_t>(size));
    BIO_free(bio);
    X509_free(certificate);
    return tls::read_certificate_facts(pem).value().sha256_fingerprint;
}

// TCP connect and TLS handshake, requiring the certificate to name the address 127.0.0.1.
void connect_tls(net::io_context& io, TlsStream& stream, std::uint16_t port) {
    auto& tcp_layer = beast::get_lowest_layer(stream);
    const tcp::endpoint endpoint{net::ip::address_v4::loopback(), port};
    if (auto ec = run_with_deadline(io, tcp_layer, 5s, [&](auto handler) { tcp_layer.async_connect(endpoint, handler); }))
        throw beast::system_error(ec, "connecting");
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(stream.native_handle()), "127.0.0.1");
    if (auto ec = run_with_deadline(io, tcp_layer, 5s, [&](auto handler) {
            stream.async_handshake(ssl::stream_base::client, handler);
        }))
        throw beast::system_error(ec, "TLS handshake");
}

}  // namespace

struct WssClient::Impl {
    explicit Impl(const std::string& pem) : context(trusting_only(pem)), ws(io, context) {}

    nlohmann::json read(std::chrono::milliseconds timeout) {
        beast::flat_buffer buffer;
        if (auto ec = run_with_deadline(io, beast::get_lowest_layer(ws), timeout,
                                        [&](auto handler) { ws.async_read(buffer, handler); }))
            throw beast::system_error(ec, "reading a frame");
        return nlohmann::json::parse(beast::buffers_to_string(buffer.data()));
    }

    net::io_context io;
    ssl::context context;
    websocket::stream<TlsStream> ws;
    std::uint64_t next_id = 1;
};

WssClient::WssClient(std::uint16_t port, const std::string& trusted_certificate_pem)
    : impl_(std::make_unique<Impl>(trusted_certificate_pem)) {
    connect_tls(impl_->io, impl_->ws.next_layer(), port);
    server_certificate_sha256_ = presented_certificate_sha256(impl_->ws.next_layer());
    const auto origin = "https://127.0.0.1:" + std::to_string(port);
    impl_->ws.set_option(websocket::stream_base::decorator(
        [origin](websocket::request_type& request) { request.set(http::field::origin, origin); }));
    if (auto ec = run_with_deadline(impl_->io, beast::get_lowest_layer(impl_->ws), 5s, [&](auto handler) {
            impl_->ws.async_handshake("127.0.0.1:" + std::to_string(port), "/ws", handler);
        }))
        throw beast::system_error(ec, "WebSocket handshake");
    hello_ = impl_->read(5s);
    impl_->read(5s);  // the snapshot
}

WssClient::~WssClient() {
    beast::error_code ignored;
    beast::get_lowest_layer(impl_->ws).socket().close(ignored);
}

nlohmann::json WssClient::command(nlohmann::json command, std::chrono::milliseconds timeout) {
    const auto id = "t" + std::to_string(impl_->next_id++);
    command["v"] = 1;
    command["id"] = id;
    const auto text = command.dump();
    if (auto ec = run_with_deadline(impl_->io, beast::get_lowest_layer(impl_->ws), 5s,
                                    [&](auto handler) { impl_->ws.async_write(net::buffer(text), handler); }))
        throw beast::system_error(ec, "writing a frame");
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) throw std::runtime_error("no result for command " + id);
        auto frame = impl_->read(left);
        if (frame.value("type", "") == "result" && frame.value("id", "") == id) return frame;
    }
}

HttpReply https_get(std::uint16_t port, const std::string& trusted_certificate_pem, const std::string& target) {
    net::io_context io;
    auto context = trusting_only(trusted_certificate_pem);
    TlsStream stream(io, context);
    connect_tls(io, stream, port);
    http::request<http::empty_body> request{http::verb::get, target, 11};
    request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    auto& tcp_layer = beast::get_lowest_layer(stream);
    if (auto ec = run_with_deadline(io, tcp_layer, 5s, [&](auto handler) { http::async_write(stream, request, handler); }))
        throw beast::system_error(ec, "writing the request");
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    if (auto ec = run_with_deadline(io, tcp_layer, 5s, [&](auto handler) { http::async_read(stream, buffer, response, handler); }))
        throw beast::system_error(ec, "reading the response");
    HttpReply reply;
    reply.status = static_cast<int>(response.result_int());
    for (const auto& field : response) reply.headers[std::string(field.name_string())] = std::string(field.value());
    reply.body = response.body();
    return reply;
}

}  // namespace cti::test
#endif
