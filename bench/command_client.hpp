// A page that sends commands one at a time and waits for each one's result, the way
// `cti-adapter simulate` and `dial` do. Blocking; used from the benchmark's own thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "beast.hpp"

namespace cti::bench {

struct CommandReply {
    std::string frame;             // the result (or error) frame
    std::int64_t sent_ns = 0;      // just before the command was written
    std::int64_t received_ns = 0;  // just after its result was read
};

class CommandClient {
public:
    // Connects and reads the server's first frames up to its snapshot.
    CommandClient(std::uint16_t port, const std::string& origin);
    ~CommandClient();

    // Sends `{"v":1,"id":...,<fields>}` and waits for its result (or error) frame.
    CommandReply command(std::string_view fields);

private:
    std::string read_text();

    net::io_context io_;
    websocket::stream<beast::tcp_stream> ws_{io_};
    beast::flat_buffer buffer_;
    std::uint64_t next_id_ = 1;
};

}  // namespace cti::bench
