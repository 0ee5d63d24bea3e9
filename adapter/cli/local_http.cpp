#include "cli/local_http.hpp"

#include "net/beast.hpp"

namespace cti {

std::string get_local_body(std::uint16_t port, const std::string& path, std::chrono::milliseconds timeout) {
    // Asynchronous operations, because tcp_stream's time limit applies only to those: a program
    // that accepts the connection and never answers must not hold the caller up.
    net::io_context io;
    beast::tcp_stream stream(io);
    http::request<http::empty_body> request{http::verb::get, path, 11};
    request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    request.set(http::field::user_agent, "cti-adapter-cli");
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    beast::error_code failure;
    stream.expires_after(timeout);
    stream.async_connect(tcp::endpoint{net::ip::address_v4::loopback(), port}, [&](beast::error_code ec) {
        if (ec) return void(failure = ec);
        http::async_write(stream, request, [&](beast::error_code write_ec, std::size_t) {
            if (write_ec) return void(failure = write_ec);
            http::async_read(stream, buffer, response,
                             [&](beast::error_code read_ec, std::size_t) { failure = read_ec; });
        });
    });
    io.run();
    if (failure) throw beast::system_error(failure);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    if (response.result() != http::status::ok)
        throw std::runtime_error("GET " + path + " answered " + std::to_string(response.result_int()));
    return std::move(response.body());
}

nlohmann::json get_local_json(std::uint16_t port, const std::string& path, std::chrono::milliseconds timeout) {
    return nlohmann::json::parse(get_local_body(port, path, timeout));
}

}  // namespace cti
