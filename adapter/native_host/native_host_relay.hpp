// One native messaging channel, relayed between the browser extension (native messages on the
// host's stdin and stdout) and the adapter (a WebSocket at /ws over the same-user channel: a
// Unix domain socket, or a named pipe on Windows).
//
//   extension -> host  {"open": {"origin": O}}  connect, WebSocket handshake with Origin: O
//                      {"frame": T}             T to the adapter, once open
//   host -> extension  {"open": {}}             the adapter accepted the WebSocket
//                      {"frame": T}             a frame from the adapter
//                      {"close": {code, reason}} the channel ended; the host then exits
//                      {"error": {code, message}} one message refused; the channel goes on
//
// The origin is the one the browser reported to the extension (sender.origin); the adapter
// applies its allow-list and pairing to it as to a page on the TCP port. One thread, one
// io_context (on Windows a second thread only reads stdin, which is not overlapped); at most one
// write to the adapter in flight, and the host stops reading stdin while the adapter has not
// taken what it was given.
#pragma once

#include <array>
#include <deque>
#include <filesystem>
#include <ostream>
#include <string>

#include "cti/result.hpp"
#include "native_host/native_message_reader.hpp"
#include "native_host/native_message_writer.hpp"
#include "net/beast.hpp"

#ifdef _WIN32
#include "native_host/stdin_reader_thread.hpp"
#include "net/pipe_stream.hpp"
#endif

namespace cti {

class NativeHostRelay {
public:
#ifdef _WIN32
    using BrowserInput = StdinReaderThread;
    using AdapterChannel = PipeStream;
    using AdapterAddress = std::wstring;  // the pipe's name
#else
    using BrowserInput = net::posix::stream_descriptor;
    using AdapterChannel = beast::basic_stream<net::local::stream_protocol>;
    using AdapterAddress = std::filesystem::path;  // the socket file
#endif

    // The browser's messages will come from this process's stdin; `adapter` is where this
    // user's adapter listens.
    NativeHostRelay(net::io_context& io, std::ostream& output, AdapterAddress adapter);

    // Starts reading the browser's messages from stdin (duplicated, not taken over); then run
    // the io_context until it stops (channel ended). A stdin that is not open is `unavailable`,
    // one that cannot be read as a pipe `unsupported`: the host was not started by a browser.
    Result<> start();

private:
    enum class State { waiting_for_open, connecting, open, finished };

    Result<> open_input();

    void read_input();
    void on_input(beast::error_code ec, std::size_t bytes);
    void take_messages();
    void handle(const NativeMessageReader::Message& message);
    void open_channel(const std::string& origin);
    void on_connect(beast::error_code ec);
    void on_handshake(beast::error_code ec);
    void read_adapter();
    void on_adapter_frame(beast::error_code ec, std::size_t bytes);
    void send_to_adapter(std::string text);
    void write_next();
    void on_written(beast::error_code ec, std::size_t bytes);
    void on_input_ended();
    void refuse(std::string_view code, const std::string& message);
    // Tells the extension the channel ended (unless it is the one that left) and stops; with
    // `close_adapter` it first closes the WebSocket with the same code.
    void finish(int code, const std::string& reason, bool close_adapter = false);
    void send(const nlohmann::json& message);

    static constexpr std::size_t max_queued_frames = 64;

    net::io_context& io_;
    BrowserInput input_;
    std::array<char, 64 * 1024> chunk_{};
    NativeMessageReader reader_;
    NativeMessageWriter writer_;
    AdapterAddress adapter_;
    std::string adapter_name_;  // adapter_, printable
    websocket::stream<AdapterChannel> ws_;
    websocket::response_type handshake_response_;
    beast::flat_buffer frame_;
    std::string origin_;
    std::deque<std::string> to_adapter_;  // front() is being written
    State state_ = State::waiting_for_open;
    bool writing_ = false;
    bool input_paused_ = false;  // the adapter has max_queued_frames waiting: stdin waits too
    bool input_ended_ = false;   // the browser closed the channel: nothing more goes to stdout
};

}  // namespace cti
