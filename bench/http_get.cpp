#include "http_get.hpp"

#include <boost/beast/http.hpp>

#include "beast.hpp"

namespace cti::bench {

std::optional<std::string> http_get(std::uint16_t port, const std::string& path) {
    net::io_context io;
    beast::tcp_stream stream(io);
    beast::error_code ec;
    stream.expires_after(std::chrono::seconds(5));
    stream.connect(tcp::endpoint(net::ip::address_v4::loopback(), port), ec);
    if (ec) return std::nullopt;
    http::request<http::empty_body> request{http::verb::get, path, 11};
    request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    request.set(http::field::user_agent, "cti-bench");
    http::write(stream, request, ec);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    if (!ec) http::read(stream, buffer, response, ec);
    if (ec || response.result() != http::status::ok) return std::nullopt;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    return response.body();
}

}  // namespace cti::bench
