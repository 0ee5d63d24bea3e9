// The first bytes of a connection on a port that serves TLS: a TLS ClientHello starts the
// handshake (wss://, https://), anything else is plain HTTP (ws://, http://). Either way the
// connection then goes on as an HttpSession, so one port keeps serving both (docs/TLS.md).
#pragma once

#include <memory>
#include <optional>

#include "net/beast.hpp"
#include "net/server_context.hpp"
#include "net/session_stream.hpp"

namespace cti {

class TlsDetector final : public PreAuthMember, public std::enable_shared_from_this<TlsDetector> {
public:
    TlsDetector(tcp::socket&& socket, ServerContext& context);
    void run();
    // Nothing can be answered before TLS is settled: an evicted connection is just closed.
    void evict() override;

private:
    void on_detect(beast::error_code ec, bool is_tls);
    void on_handshake(beast::error_code ec, std::size_t bytes_used);

    beast::tcp_stream stream_;
    std::optional<SessionStream::TlsStream> tls_stream_;
    beast::flat_buffer buffer_;  // what detection read: the start of the request or the ClientHello
    ServerContext& context_;
    net::any_io_executor executor_;  // the connection's strand, for evict() from other threads
    PreAuthPool::Ticket ticket_;     // handed on to the HTTP session
};

}  // namespace cti
