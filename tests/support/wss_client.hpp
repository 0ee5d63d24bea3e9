// wss:// and https:// clients for the TLS tests. They trust exactly one certificate (the one
// given, as a browser told to trust it) and check that it names 127.0.0.1, as a browser does
// for https://127.0.0.1:PORT/. A handshake that fails either check throws.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "support/ws_client.hpp"

namespace cti::test {

class WssClient {
public:
    // Connects to wss://127.0.0.1:PORT/ws from the adapter's own https:// page origin and reads
    // hello and snapshot.
    WssClient(std::uint16_t port, const std::string& trusted_certificate_pem);
    ~WssClient();
    WssClient(const WssClient&) = delete;
    WssClient& operator=(const WssClient&) = delete;

    const nlohmann::json& hello() const { return hello_; }
    // Sends {"v":1,"id":...,...command} and returns its result (events in between are skipped).
    nlohmann::json command(nlohmann::json command, std::chrono::milliseconds timeout = 5s);
    // The SHA-256 fingerprint ("AB:CD:...") of the certificate the server presented.
    const std::string& server_certificate_sha256() const { return server_certificate_sha256_; }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    nlohmann::json hello_;
    std::string server_certificate_sha256_;
};

// One GET over https://127.0.0.1:PORT, trusting only `trusted_certificate_pem`.
HttpReply https_get(std::uint16_t port, const std::string& trusted_certificate_pem, const std::string& target);

}  // namespace cti::test
