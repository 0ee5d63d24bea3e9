#include "native_host/native_host_relay.hpp"

#ifndef _WIN32
#include <unistd.h>
#endif

#include <iostream>

#include <spdlog/sinks/stdout_sinks.h>

#include "logging/logging.hpp"
#ifdef _WIN32
#include "native_host/adapter_pipe_client.hpp"
#endif

namespace cti {
namespace {

constexpr auto handshake_timeout = std::chrono::seconds(10);

#ifdef _WIN32
std::string printable(const std::wstring& pipe) { return std::string(pipe.begin(), pipe.end()); }
#else
std::string printable(const std::filesystem::path& socket) { return socket.string(); }

#endif

}  // namespace

NativeHostRelay::NativeHostRelay(net::io_context& io, std::ostream& output, AdapterAddress adapter)
    : io_(io),
      input_(io),
      writer_(output),
      adapter_(std::move(adapter)),
      adapter_name_(printable(adapter_)),
      ws_(io) {}

Result<> NativeHostRelay::start() {
    if (auto opened = open_input(); !opened) return opened;
    read_input();
    return {};
}

#ifdef _WIN32
Result<> NativeHostRelay::open_input() { return input_.start(); }
#else
Result<> NativeHostRelay::open_input() {
    // A copy, so that closing the input at the end leaves the process's stdin as it was.
    const int copy = ::dup(STDIN_FILENO);
    if (copy < 0) return fail(ErrorKind::unavailable, "cannot read the browser's messages: stdin is not open");
    beast::error_code ec;
    input_.assign(copy, ec);
    if (ec) {
        ::close(copy);
        return fail(ErrorKind::unsupported, "stdin must be a pipe from the browser (" + ec.message() + ")");
    }
    return {};
}
#endif

void NativeHostRelay::read_input() {
    input_.async_read_some(net::buffer(chunk_),
                           beast::bind_front_handler(&NativeHostRelay::on_input, this));
}

void NativeHostRelay::on_input(beast::error_code ec, std::size_t bytes) {
    if (state_ == State::finished) return;
    if (ec) return on_input_ended();
    reader_.append({chunk_.data(), bytes});
    take_messages();
}

void NativeHostRelay::take_messages() {
    while (!input_paused_ && state_ != State::finished) {
        auto message = reader_.next();
        if (!message) break;
        handle(*message);
    }
    if (!input_paused_ && state_ != State::finished) read_input();
}

void NativeHostRelay::handle(const NativeMessageReader::Message& message) {
    if (message.too_big)
        return refuse("too_big", "a message of " + std::to_string(message.length) +
                                     " bytes is over the host's limit of " +
                                     std::to_string(reader_.limit()) + " bytes per message");
    const auto json = nlohmann::json::parse(message.text, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded())
        return refuse("not_json",
                      "the message is not JSON; expected {\"open\": {\"origin\": \"...\"}} or "
                      "{\"frame\": \"<text>\"}");
    if (!json.is_object() || json.size() != 1 ||
        (!json.contains("open") && !json.contains("frame")))
        return refuse("bad_message",
                      "expected an object with one key: {\"open\": {\"origin\": \"...\"}} or "
                      "{\"frame\": \"<text>\"}");
    if (json.contains("open")) {
        if (state_ != State::waiting_for_open)
            return refuse("already_open", "this channel is already open (one channel per host)");
        const auto& open = json["open"];
        if (!open.is_object() || !open.contains("origin") || !open["origin"].is_string() ||
            open["origin"].get<std::string>().empty())
            return refuse(
                "bad_open",
                "\"open\" must carry the page's origin: {\"open\": {\"origin\": \"https://...\"}}");
        return open_channel(open["origin"].get<std::string>());
    }
    if (!json["frame"].is_string())
        return refuse("bad_frame",
                      "\"frame\" must be a string: {\"frame\": \"<text frame of protocol v1>\"}");
    if (state_ != State::open)
        return refuse("not_open",
                      "no channel is open yet: send {\"open\": {\"origin\": \"...\"}} and wait for "
                      "{\"open\": {}}");
    send_to_adapter(json["frame"].get<std::string>());
}

void NativeHostRelay::open_channel(const std::string& origin) {
    state_ = State::connecting;
    origin_ = origin;
    auto& stream = beast::get_lowest_layer(ws_);
#ifdef _WIN32
    // Opening a pipe does not block unless every instance is busy; the adapter makes the next
    // one as soon as a host connects.
    const auto ec = connect_adapter_pipe(
        stream, adapter_, std::chrono::duration_cast<std::chrono::milliseconds>(handshake_timeout));
    stream.expires_after(handshake_timeout);
    net::post(io_, beast::bind_front_handler(&NativeHostRelay::on_connect, this, ec));
#else
    stream.expires_after(handshake_timeout);
    stream.async_connect(net::local::stream_protocol::endpoint(adapter_.string()),
                         beast::bind_front_handler(&NativeHostRelay::on_connect, this));
#endif
}

void NativeHostRelay::on_connect(beast::error_code ec) {
    if (state_ == State::finished) return;
    // ENOENT arrives in the system category: compared as a condition, not as a code of the
    // generic one (which never matches).
    if (ec == net::error::not_found || ec == net::error::connection_refused ||
        ec == boost::system::errc::no_such_file_or_directory)
        return finish(1006, "no cti-adapter is running for this user");
    if (ec == net::error::access_denied)
        return finish(1006, adapter_name_ +
                                " is not served by this user's cti-adapter; the host does not "
                                "talk to it");
    if (ec)
        return finish(1006,
                      "cannot reach the cti-adapter at " + adapter_name_ + ": " + ec.message());
    ws_.set_option(
        websocket::stream_base::decorator([origin = origin_](websocket::request_type& request) {
            request.set(http::field::origin, origin);
            request.set(http::field::user_agent, "cti-adapter-native-host");
        }));
    ws_.read_message_max(NativeMessageWriter::max_message_bytes);
    // The Host header is not checked on the same-user channel; any name does.
    ws_.async_handshake(handshake_response_, "localhost", "/ws",
                        beast::bind_front_handler(&NativeHostRelay::on_handshake, this));
}

void NativeHostRelay::on_handshake(beast::error_code ec) {
    if (state_ == State::finished) return;
    if (ec) {
        const auto status = handshake_response_.result_int();
        auto why = handshake_response_.body();
        while (!why.empty() && (why.back() == '\n' || why.back() == '\r')) why.pop_back();
        if (status == 403)
            return finish(4403, "the adapter refused this page's origin (HTTP 403: " + why + ")");
        if (status >= 400 && status < 600)
            return finish(4000 + static_cast<int>(status),
                          "the adapter refused the connection (HTTP " + std::to_string(status) +
                              ": " + why + ")");
        return finish(
            1006, "the adapter closed the connection before accepting it (" + ec.message() + ")");
    }
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout timeout{};
    timeout.handshake_timeout = handshake_timeout;  // the close handshake
    timeout.idle_timeout = websocket::stream_base::none();
    timeout.keep_alive_pings = false;
    ws_.set_option(timeout);
    ws_.text(true);
    state_ = State::open;
    send({{"open", nlohmann::json::object()}});
    read_adapter();
}

void NativeHostRelay::read_adapter() {
    ws_.async_read(frame_, beast::bind_front_handler(&NativeHostRelay::on_adapter_frame, this));
}

void NativeHostRelay::on_adapter_frame(beast::error_code ec, std::size_t) {
    if (state_ == State::finished) return;
    if (ec == websocket::error::closed)
        return finish(ws_.reason().code, std::string(ws_.reason().reason.c_str()));
    if (ec == websocket::error::message_too_big ||
        ec == beast::error_code(http::error::buffer_overflow))
        return finish(
            1009, "a frame from the adapter is over the browsers' 1 MB limit for native messages",
            true);
    if (ec) return finish(1006, "the connection to the adapter was lost (" + ec.message() + ")");
    const nlohmann::json message{{"frame", beast::buffers_to_string(frame_.data())}};
    frame_.consume(frame_.size());
    switch (writer_.write(message)) {
        case NativeMessageWriter::Written::ok:
            return read_adapter();
        case NativeMessageWriter::Written::too_big:
            return finish(
                1009,
                "a frame from the adapter is over the browsers' 1 MB limit for native messages",
                true);
        case NativeMessageWriter::Written::failed:
            input_ended_ = true;
            return finish(1001, "the browser has gone", true);
    }
}

void NativeHostRelay::send_to_adapter(std::string text) {
    to_adapter_.push_back(std::move(text));
    if (to_adapter_.size() >= max_queued_frames) input_paused_ = true;
    if (!writing_) write_next();
}

void NativeHostRelay::write_next() {
    writing_ = true;
    ws_.async_write(net::buffer(to_adapter_.front()),
                    beast::bind_front_handler(&NativeHostRelay::on_written, this));
}

void NativeHostRelay::on_written(beast::error_code ec, std::size_t) {
    writing_ = false;
    if (state_ == State::finished) return;
    if (ec) return finish(1006, "the connection to the adapter was lost (" + ec.message() + ")");
    to_adapter_.pop_front();
    if (!to_adapter_.empty()) write_next();
    if (input_paused_ && to_adapter_.size() < max_queued_frames / 2) {
        input_paused_ = false;
        take_messages();
    }
}

// The browser closed the port (the page went away): the WebSocket is closed, then the host exits.
void NativeHostRelay::on_input_ended() {
    input_ended_ = true;
    if (reader_.mid_message())
        std::cerr << "cti-adapter native-host: the browser's channel ended inside a message\n";
    finish(1000, "the browser closed the channel", state_ == State::open);
}

void NativeHostRelay::refuse(std::string_view code, const std::string& message) {
    std::cerr << "cti-adapter native-host: refused a message from the browser (" << code << ")\n";
    send({{"error", {{"code", code}, {"message", message}}}});
}

void NativeHostRelay::finish(int code, const std::string& reason, bool close_adapter) {
    if (state_ == State::finished) return;
    const bool was_open = state_ == State::open;
    state_ = State::finished;
    if (!input_ended_) send({{"close", {{"code", code}, {"reason", reason}}}});
    beast::error_code ignored;
    input_.close(ignored);
    if (close_adapter && was_open) {
        ws_.async_close(websocket::close_reason(static_cast<websocket::close_code>(code), reason),
                        [this](beast::error_code) { io_.stop(); });
        return;
    }
    io_.stop();
}

void NativeHostRelay::send(const nlohmann::json& message) {
    if (input_ended_) return;
    if (writer_.write(message) == NativeMessageWriter::Written::failed) input_ended_ = true;
}

}  // namespace cti
