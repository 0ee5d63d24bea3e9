// A fake phone system. It keeps its own small model of the calls on the "phone" and reports
// what happens to them exactly as a real driver would; the core cannot tell the difference.
//
// All state lives on a strand of the adapter's loop (SimulatorLine). Commands from the core run
// there at once; timers (auto-answer, ring timeout, scenario steps) run there too. When nothing
// is scheduled the simulator costs nothing: no polling.
#include "simulator/simulator_driver.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "cti/dial_string.hpp"
#include "loop/driver_line.hpp"
#include "loop/loop_driver.hpp"

namespace cti {
namespace {

namespace net = boost::asio;
using Action = PhoneAction;

struct SimulatorSettings {
    std::int64_t answer_after_ms = 2000;  // an agent's outbound dial connects after this
    std::int64_t ring_timeout_ms = 30000; // an unanswered inbound call is missed after this
    std::vector<std::string> busy_numbers;
    std::string line_number = "1001";     // the agent's own extension
    std::string line_name = "Agent";
    // What it advertises: all of it, or the subset a real phone system offers (a SIP desk phone
    // in monitor mode: none), so a page can be built and tested against that. Test injections
    // (simulate) always stay.
    Capabilities capabilities = all_call_controls();

    static constexpr Capabilities all_call_controls() {
        return {Capability::dial,   Capability::answer,   Capability::decline, Capability::hangup,
                Capability::hold,   Capability::resume,   Capability::transfer, Capability::dtmf};
    }
};

struct SimCall {
    Direction direction = Direction::inbound;
    CallState state = CallState::ringing;
    Party from;
    Party to;
    std::unique_ptr<net::steady_timer> timer;  // ring timeout or auto-answer
};

// The simulated phone, on its strand of the adapter's loop.
class SimulatorLine final : public drivers::DriverLine, public std::enable_shared_from_this<SimulatorLine> {
public:
    SimulatorLine(net::io_context& loop, DriverEvents& events, const SimulatorSettings& settings)
        : DriverLine(loop, events), settings_(settings) {}

    // Nothing to connect to: the simulated line is ready at once.
    void begin() override { send_status({DriverState::connected, "simulated phone line " + settings_.line_number}); }

    void stop() override {
        stopped_ = true;
        calls_.clear();           // their timers go with them: cancelled, not waited for
        pending_steps_.clear();   // and so do the scenario steps still to come
        send_status({DriverState::stopped, "simulator stopped"});
    }

    void execute(DriverCommand command, CommandDone done) override { done(carry_out(command)); }

private:
    // ---- commands from the agent (through the core) ----

    CommandOutcome carry_out(const DriverCommand& command) {
        using Kind = DriverCommand::Kind;
        switch (command.kind) {
            case Kind::dial: return agent_dial(command.ref, command.number);
            case Kind::answer: return phone_action(command.ref, Action::answer);
            case Kind::decline: return phone_action(command.ref, Action::decline);
            case Kind::hangup: return phone_action(command.ref, Action::hangup);
            case Kind::hold: return phone_action(command.ref, Action::hold);
            case Kind::resume: return phone_action(command.ref, Action::resume);
            case Kind::transfer: return phone_action(command.ref, Action::transfer);
            case Kind::dtmf:
                if (!find(command.ref)) return no_call(command.ref);
                return CommandReply{command.digits};
            case Kind::simulate: return simulate(command.ref, command.injection);
        }
        return fail(ErrorKind::unsupported, "unknown command");
    }

    CommandOutcome agent_dial(const std::string& ref, const std::string& number) {
        start_outbound(ref, number);
        auto& call = calls_.at(ref);
        const bool busy = std::find(settings_.busy_numbers.begin(), settings_.busy_numbers.end(),
                                    number) != settings_.busy_numbers.end();
        call.timer = after(settings_.answer_after_ms, [this, ref, busy] {
            // A listed number is busy as a real far end is: with its reason in words.
            if (busy && find(ref) && find(ref)->state == CallState::dialing)
                return end(ref, EndReason::busy, "the number is in simulator.busy_numbers");
            phone_action(ref, Action::remote_answer);
        });
        return CommandReply{};
    }

    // ---- the `simulate` command: test injections ----

    CommandOutcome simulate(const std::string& ref, const Injection& injection) {
        switch (injection.action) {
            case Injection::Action::scenario: run_scenario(injection.scenario); return CommandReply{};
            case Injection::Action::incoming:
                start_inbound(ref, injection.from, injection.to, injection.internal);
                return CommandReply{};
            case Injection::Action::remote_answer: return phone_action(ref, Action::remote_answer);
            case Injection::Action::remote_hangup: return phone_action(ref, Action::remote_hangup);
            case Injection::Action::busy: return phone_action(ref, Action::busy);
            case Injection::Action::answered_elsewhere: return phone_action(ref, Action::answered_elsewhere);
        }
        return fail(ErrorKind::unsupported, "unknown injection");
    }

    void run_scenario(const SimulatedScenario& scenario) {
        // Each run gets its own refs, so the same file can run twice at once.
        const auto run = ++scenario_runs_;
        for (const auto& step : scenario.steps) {
            auto ref = "scn" + std::to_string(run) + "-" + step.call;
            // Each step's timer is kept until the step has run, or until stop() cancels it.
            const auto id = ++steps_made_;
            pending_steps_[id] = after(step.at_ms, [this, id, ref, step] {
                pending_steps_.erase(id);
                if (step.action == Action::incoming)
                    return start_inbound(ref, {step.from, step.name}, step.to, step.internal);
                if (step.action == Action::dial) return start_outbound(ref, step.to);
                phone_action(ref, step.action);
            });
        }
    }

    // ---- the phone's own model ----

    void start_inbound(const std::string& ref, const Party& caller, const std::string& called,
                       bool internal) {
        SimCall call;
        call.direction = internal ? Direction::internal : Direction::inbound;
        call.state = CallState::ringing;
        call.from = caller;
        call.to = {called.empty() ? settings_.line_number : called, settings_.line_name};
        if (settings_.ring_timeout_ms > 0)
            call.timer = after(settings_.ring_timeout_ms,
                               [this, ref] { phone_action(ref, Action::remote_hangup); });
        report(CallReport::Kind::offered, ref, call);
        calls_[ref] = std::move(call);
    }

    void start_outbound(const std::string& ref, const std::string& number) {
        SimCall call;
        call.direction = Direction::outbound;
        call.state = CallState::dialing;
        call.from = {settings_.line_number, settings_.line_name};
        call.to = {number, ""};
        report(CallReport::Kind::dialing, ref, call);
        calls_[ref] = std::move(call);
    }

    // Applies one thing that happens on the phone to a call; reports it or says why not. A
    // transfer is blind: the call leaves this phone, whoever it goes to.
    CommandOutcome phone_action(const std::string& ref, Action action) {
        SimCall* call = find(ref);
        if (!call) return no_call(ref);
        const auto state = call->state;
        const bool ringing = state == CallState::ringing;
        const bool dialing = state == CallState::dialing;
        const bool talking = state == CallState::connected || state == CallState::held;

        if ((action == Action::answer && ringing) || (action == Action::remote_answer && dialing)) {
            call->timer.reset();
            call->state = CallState::connected;
            report(CallReport::Kind::connected, ref, *call);
        } else if (action == Action::hold && state == CallState::connected) {
            call->state = CallState::held;
            report(CallReport::Kind::held, ref, *call);
        } else if (action == Action::resume && state == CallState::held) {
            call->state = CallState::connected;
            report(CallReport::Kind::resumed, ref, *call);
        } else if (action == Action::decline && ringing) {
            end(ref, EndReason::rejected);
        } else if (action == Action::busy && dialing) {
            end(ref, EndReason::busy);
        } else if (action == Action::answered_elsewhere && ringing) {
            end(ref, EndReason::answered_elsewhere);
        } else if (action == Action::remote_hangup) {
            end(ref, ringing ? EndReason::missed : dialing ? EndReason::rejected : EndReason::normal);
        } else if (action == Action::hangup) {
            end(ref, ringing ? EndReason::rejected : EndReason::normal);
        } else if (action == Action::transfer && talking) {
            end(ref, EndReason::normal);
        } else {
            return fail(ErrorKind::invalid_state, "the simulated call is " + std::string(to_string(state)) +
                                                      "; cannot " + std::string(to_string(action)));
        }
        return CommandReply{};
    }

    void end(const std::string& ref, EndReason reason, std::string detail = {}) {
        auto node = calls_.extract(ref);
        auto& call = node.mapped();
        call.state = CallState::ended;
        CallReport ended;
        ended.kind = CallReport::Kind::ended;
        ended.ref = ref;
        ended.reason = reason;
        ended.detail = std::move(detail);
        send_report(std::move(ended));
    }

    void report(CallReport::Kind kind, const std::string& ref, const SimCall& call) {
        CallReport report;
        report.kind = kind;
        report.ref = ref;
        report.direction = call.direction;
        report.from = call.from;
        report.to = call.to;
        send_report(std::move(report));
    }

    SimCall* find(const std::string& ref) {
        auto it = calls_.find(ref);
        return it == calls_.end() ? nullptr : &it->second;
    }

    static CommandOutcome no_call(const std::string& ref) {
        return fail(ErrorKind::not_found, "the simulator has no call '" + ref + "'");
    }

    // A timer on the strand; its handler holds the line, and runs `handler` unless the timer
    // was cancelled (dropped) or the line stopped.
    template <typename Handler>
    std::unique_ptr<net::steady_timer> after(std::int64_t ms, Handler handler) {
        auto timer = std::make_unique<net::steady_timer>(strand_, std::chrono::milliseconds(ms));
        timer->async_wait([self = shared_from_this(), handler = std::move(handler)](boost::system::error_code ec) {
            if (!ec && !self->stopped_) handler();
        });
        return timer;
    }

    const SimulatorSettings settings_;
    std::map<std::string, SimCall> calls_;
    std::map<std::uint64_t, std::unique_ptr<net::steady_timer>> pending_steps_;  // scenario steps to come
    std::uint64_t steps_made_ = 0;
    std::uint64_t scenario_runs_ = 0;
    bool stopped_ = false;
};

class SimulatorDriver final : public drivers::LoopDriver {
public:
    explicit SimulatorDriver(SimulatorSettings settings) : settings_(std::move(settings)) {}

    std::string_view name() const override { return "simulator"; }
    Capabilities capabilities() const override { return settings_.capabilities.with(Capability::simulate); }

private:
    std::shared_ptr<drivers::DriverLine> make_line(net::io_context& loop, DriverEvents& events) override {
        return std::make_shared<SimulatorLine>(loop, events, settings_);
    }

    SimulatorSettings settings_;
};

// "capabilities": ["dial", "hangup"]: the call controls to advertise, from those it has.
Capabilities read_capabilities(SettingsReader& reader) {
    constexpr Capability controls[] = {Capability::dial, Capability::answer,   Capability::decline,
                                       Capability::hangup, Capability::hold,   Capability::resume,
                                       Capability::transfer, Capability::dtmf};
    std::string known;
    for (auto control : controls) known += (known.empty() ? "" : ", ") + std::string(to_string(control));
    const std::vector<std::string> not_given{"(all)"};  // a fallback no check passes: the key is absent
    const auto names = reader.string_list("capabilities", not_given, [&](const std::string& name) -> std::string {
        for (auto control : controls)
            if (name == to_string(control)) return {};
        return "'" + name + "' is not a call control; expected some of: " + known;
    });
    if (names == not_given) return SimulatorSettings::all_call_controls();
    Capabilities chosen;
    for (const auto& name : names)
        for (auto control : controls)
            if (name == to_string(control)) chosen = chosen.with(control);
    return chosen;
}

Result<std::unique_ptr<Driver>> create_simulator(SettingsReader& reader) {
    SimulatorSettings settings;
    settings.answer_after_ms = reader.integer("answer_after_ms", settings.answer_after_ms, 0, 600000);
    settings.ring_timeout_ms = reader.integer("ring_timeout_ms", settings.ring_timeout_ms, 0, 3600000);
    auto number_check = [](const std::string& text) -> std::string {
        return normalize_dial_string(text) ? "" : "'" + text + "' is not a dial string (digits, *, #, leading +)";
    };
    settings.busy_numbers = reader.string_list("busy_numbers", {}, number_check);
    for (auto& number : settings.busy_numbers) number = *normalize_dial_string(number);
    settings.line_number = *normalize_dial_string(reader.string("line_number", settings.line_number, number_check));
    settings.line_name = reader.string("line_name", settings.line_name);
    settings.capabilities = read_capabilities(reader);
    reader.reject_unknown();
    return make_driver<SimulatorDriver>(reader.result(std::move(settings)));
}

}  // namespace

DriverFactory simulator_driver_factory() {
    return {"simulator", "built-in fake phone system for demos, training and tests",
            &create_simulator};
}

}  // namespace cti
