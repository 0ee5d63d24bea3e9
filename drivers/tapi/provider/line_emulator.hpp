// The emulated phone system behind one TAPI line: it owns the calls on the line, carries out
// line operations (lineMakeCall, lineAnswer, ...) the way a telephony service provider would,
// plays the far end of every call, and announces each state change as a LINE_CALLSTATE.
//
// Runs on the provider's single io_context thread; nothing here is thread-safe.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "tapi/control_command.hpp"
#include "tapi/provider_messages.hpp"

namespace cti::tapi {

struct EmulatorSettings {
    Party line{"1001", "Agent"};
    std::int64_t answer_after_ms = 1000;       // the far end of an outbound call answers after this
    std::set<std::string> busy_numbers;        // dialling these gets BUSY
    std::set<std::string> unanswered_numbers;  // these ring until a control command acts
};

struct ControlOutcome {
    bool ok = true;
    std::string error;
    std::string call;  // the handle the command acted on (a new offer's handle)
};

class LineEmulator {
public:
    using Announce = std::function<void(const std::string& line)>;
    LineEmulator(boost::asio::io_context& io, EmulatorSettings settings, Announce announce);

    const Party& line() const { return settings_.line; }
    // Every call on the line, in the state last announced (for a client that connects).
    std::vector<LineCallStateChange> calls() const;
    LineReply execute(const LineOperation& operation);
    ControlOutcome control(const ControlCommand& command);

private:
    struct EmulatedCall {
        LineCallStateChange last;  // the state most recently announced
        std::optional<std::int64_t> hangup_after_answer_ms;
        std::unique_ptr<boost::asio::steady_timer> timer;
    };

    LineReply make_call(const LineOperation& operation);
    void answer(EmulatedCall& call);
    void drop(EmulatedCall& call);
    ControlOutcome offer(const ControlCommand& command);

    bool is_setting_up_outbound(const EmulatedCall& call) const;
    bool in_state(const std::string& handle, LineCallState state);
    void set_state(const std::string& handle, LineCallState state, std::uint32_t mode = 0);
    void disconnect(const std::string& handle, DisconnectMode mode);
    void after(const std::string& handle, std::int64_t ms, std::function<void()> action);
    EmulatedCall* find(const std::string& handle);

    boost::asio::io_context& io_;
    EmulatorSettings settings_;
    Announce announce_;
    std::map<std::string, EmulatedCall> calls_;
    std::uint64_t offers_ = 0;
};

}  // namespace cti::tapi
