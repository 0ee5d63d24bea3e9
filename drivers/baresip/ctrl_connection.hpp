// One connection to baresip's ctrl_tcp: netstring-framed JSON commands, responses and events.
//
// Lives on the driver's strand of the adapter's loop and is used from there only. ctrl_tcp answers bad
// input with silence, so every command has its own deadline. Responses are matched to their
// command by token; events are passed on as they come, also when they arrive before the
// response of the command that caused them.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "baresip/baresip_settings.hpp"
#include "baresip/ctrl_message.hpp"
#include "baresip/netstring.hpp"
#include "strand_entry.hpp"

namespace cti::baresip {

class CtrlConnection : public std::enable_shared_from_this<CtrlConnection> {
public:
    struct Handlers {
        std::function<void(const CtrlEvent&)> on_event;
        std::function<void(const std::string& why)> on_lost;     // the connection is unusable
        std::function<void(const std::string& why)> on_skipped;  // a message was ignored
    };
    // nullopt: no response in time, or the connection went away first.
    using Reply = std::function<void(std::optional<CtrlResponse>)>;

    CtrlConnection(const drivers::Strand& strand, Handlers handlers, std::chrono::milliseconds command_timeout);

    void connect(const HostPort& address, std::function<void(const std::string& error)> done);
    void send(const std::string& command, const std::string& params, Reply reply);
    // Closes without calling on_lost; commands still waiting get nullopt.
    void close();

private:
    struct Pending {
        Reply reply;
        std::unique_ptr<boost::asio::steady_timer> deadline;
    };

    void read_more();
    void handle_payload(const std::string& payload);
    void handle_response(const CtrlResponse& response);
    void write_next();
    void fail(const std::string& why);
    void fail_pending();

    drivers::Strand strand_;  // every operation's handler runs here
    Handlers handlers_;
    std::chrono::milliseconds command_timeout_;
    boost::asio::ip::tcp::socket socket_;
    NetstringReader reader_;
    char buffer_[8192];
    std::deque<std::string> outgoing_;
    std::map<std::string, Pending> pending_;  // by token
    std::uint64_t next_token_ = 1;
    bool open_ = false;
};

}  // namespace cti::baresip
