// A real WebSocket (and plain HTTP) client for the integration tests, talking to the adapter
// over loopback exactly as a browser page would. Every wait has a deadline, so a broken server
// fails a test instead of hanging it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cti::test {

using namespace std::chrono_literals;

struct ClientOptions {
    std::optional<std::string> origin;  // default: the adapter's own page origin; "" = none
    std::optional<std::string> host;    // default: 127.0.0.1:PORT
    std::string path = "/ws";
    int receive_buffer = 0;             // SO_RCVBUF before connecting; 0 = system default
    bool read_greeting = true;          // read hello and snapshot in the constructor
    // A page of another origin: authenticate with this token before reading hello and snapshot.
    // Without one, such a client stops after the short hello (auth "required").
    std::optional<std::string> token;
};

inline ClientOptions with_origin(std::string origin) {
    ClientOptions options;
    options.origin = std::move(origin);
    return options;
}
inline ClientOptions with_token(std::string origin, std::string token) {
    ClientOptions options = with_origin(std::move(origin));
    options.token = std::move(token);
    return options;
}
inline ClientOptions with_host(std::string host) {
    ClientOptions options;
    options.host = std::move(host);
    return options;
}
inline ClientOptions with_receive_buffer(int bytes) {
    ClientOptions options;
    options.receive_buffer = bytes;
    return options;
}

// Thrown when the server refuses the upgrade; `status` is the HTTP status it answered.
struct HandshakeRefused : std::runtime_error {
    HandshakeRefused(int status_in, std::string body_in);
    int status;
    std::string body;
};

class WsClient {
public:
    explicit WsClient(std::uint16_t port, ClientOptions options = {});
    ~WsClient();
    WsClient(const WsClient&) = delete;
    WsClient& operator=(const WsClient&) = delete;

    const nlohmann::json& hello() const { return hello_; }
    const nlohmann::json& snapshot() const { return snapshot_; }

    void send_text(const std::string& text);
    // Sends `authenticate` and returns its result; when it is ok, the full hello and the
    // snapshot that follow are read (hello(), snapshot()).
    nlohmann::json authenticate(const std::string& token);
    // After `paired` (or an ok authenticate): reads the full hello and the snapshot.
    void read_greeting();
    // Sends {"v":1,"id":<new id>, ...command} and returns the matching result; events that
    // arrive meanwhile are kept and returned by later next_event() calls, in order.
    nlohmann::json command(nlohmann::json command, std::chrono::milliseconds timeout = 5s);
    // The next frame of any type (queued events first).
    nlohmann::json next_frame(std::chrono::milliseconds timeout = 5s);
    // The next event (skipping nothing: a non-event frame here fails the test).
    nlohmann::json next_event(std::chrono::milliseconds timeout = 5s);
    // Reads events until one has this name; returns it (earlier events are dropped).
    nlohmann::json event_named(const std::string& name, std::chrono::milliseconds timeout = 5s);
    // Reads (and discards) until the server closes; returns the close code.
    int read_until_closed(std::chrono::milliseconds timeout = 10s, std::size_t* frames_read = nullptr);
    // Reads until the server closes, keeping every frame (queued ones first) in `frames`;
    // returns the close code.
    int frames_until_closed(std::vector<nlohmann::json>& frames, std::chrono::milliseconds timeout = 10s);
    // The code of the server's close frame once a read has met it; 0 before.
    int close_code() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    nlohmann::json hello_;
    nlohmann::json snapshot_;
};

// Opens a WebSocket and closes it again: 101 when the upgrade was accepted, else the HTTP status
// of the refusal.
int upgrade_status(std::uint16_t port, ClientOptions options = {});

struct HttpReply {
    int status = 0;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
};

// One HTTP request; `headers` may override Host. Default Host: 127.0.0.1:PORT.
HttpReply http_request(std::uint16_t port, const std::string& method, const std::string& target,
                       const std::map<std::string, std::string>& headers = {},
                       const std::string& body = {});

}  // namespace cti::test
