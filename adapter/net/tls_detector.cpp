#include "net/tls_detector.hpp"

#include <boost/beast/core/detect_ssl.hpp>

#include "logging/logging.hpp"
#include "net/http_session.hpp"

namespace cti {

TlsDetector::TlsDetector(tcp::socket&& socket, ServerContext& context)
    : stream_(std::move(socket)), context_(context), executor_(stream_.get_executor()) {}

void TlsDetector::run() {
    net::dispatch(executor_, [self = shared_from_this()] {
        self->ticket_ = self->context_.preauth.enter(self->weak_from_this());
        // The request timeout covers detection and the TLS handshake, as it covers a request.
        self->stream_.expires_after(std::chrono::milliseconds(self->context_.limits.request_timeout_ms));
        beast::async_detect_ssl(self->stream_, self->buffer_,
                                beast::bind_front_handler(&TlsDetector::on_detect, self));
    });
}

void TlsDetector::on_detect(beast::error_code ec, bool is_tls) {
    if (ec) return;  // closed or silent before saying anything: nothing to answer
    if (!is_tls) {
        std::make_shared<HttpSession>(SessionStream(std::move(stream_)), context_, std::move(buffer_),
                                      std::move(ticket_))
            ->run();
        return;
    }
    tls_stream_.emplace(std::move(stream_), *context_.tls);
    tls_stream_->async_handshake(net::ssl::stream_base::server, buffer_.data(),
                                 beast::bind_front_handler(&TlsDetector::on_handshake, shared_from_this()));
}

void TlsDetector::on_handshake(beast::error_code ec, std::size_t bytes_used) {
    if (ec) {
        // Most often a browser that does not trust the adapter's certificate (yet).
        spdlog::info("a TLS handshake failed: {} (a browser that does not trust the adapter's "
                     "certificate? see docs/TLS.md)",
                     ec.message());
        return;
    }
    buffer_.consume(bytes_used);
    std::make_shared<HttpSession>(SessionStream(std::move(*tls_stream_)), context_, std::move(buffer_),
                                  std::move(ticket_))
        ->run();
}

void TlsDetector::evict() {
    net::post(executor_, [self = shared_from_this()] {
        if (!self->ticket_) return;  // handed on: the HTTP session answers for itself
        auto& lowest = self->tls_stream_ ? beast::get_lowest_layer(*self->tls_stream_) : self->stream_;
        beast::error_code ignored;
        lowest.socket().close(ignored);
    });
}

}  // namespace cti
