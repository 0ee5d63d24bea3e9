// A page as the core sees it (ClientConnection) without a socket: it keeps the frames it is
// sent and the close it is asked for. A page whose session has ended is one whose last
// shared_ptr is gone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/client_connection.hpp"

namespace cti::test {

class FakePage final : public ClientConnection {
public:
    struct Close {
        std::uint16_t code = 0;
        std::string reason;
        bool operator==(const Close&) const = default;
    };

    explicit FakePage(std::string label = "page", std::string rate_key = "origin http://localhost")
        : label_(std::move(label)), rate_key_(std::move(rate_key)) {}

    void deliver(protocol::Frame frame) override { frames.push_back(std::move(frame)); }
    void close(std::uint16_t code, std::string reason) override { closed = Close{code, std::move(reason)}; }
    const std::string& label() const override { return label_; }
    bool own_origin() const override { return false; }
    const std::string& rate_key() const override { return rate_key_; }

    std::vector<protocol::Frame> frames;
    std::optional<Close> closed;

private:
    std::string label_;
    std::string rate_key_;
};

}  // namespace cti::test
