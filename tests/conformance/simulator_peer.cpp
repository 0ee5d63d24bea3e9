// The simulator as a conformance peer: the far end's actions are `simulate` commands.
#include "conformance/peer.hpp"

#include <thread>

#include "support/ws_client.hpp"

namespace cti::test {
namespace {

class SimulatorPeer final : public Peer {
public:
    void start() override {}

    std::string adapter_config() const override {
        // Calls that hang up "by themselves" are scripted with scenarios of a few milliseconds.
        return R"({"driver": "simulator",
                   "simulator": {"answer_after_ms": 10, "busy_numbers": ["5550000"]}})";
    }

    void adapter_started(std::uint16_t adapter_port) override {
        control_ = std::make_unique<WsClient>(adapter_port);
    }

    void call_in(const std::string& number, const std::string& name, Caller caller) override {
        nlohmann::json steps = {{{"action", "incoming"}, {"call", "c"}, {"from", number}}};
        steps[0]["name"] = name;
        if (caller == Caller::gives_up)
            steps.push_back({{"at_ms", 5}, {"action", "remote_hangup"}, {"call", "c"}});
        run(steps);
        if (caller == Caller::hangs_up_after_answer) hang_up_after_answer_ = true;
        if (hang_up_after_answer_) watch_for_answer();
    }

    std::string answering_number() override { return "5559999"; }
    std::string busy_number() override { return "5550000"; }
    std::string busy_detail() const override { return "the number is in simulator.busy_numbers"; }
    bool can_restart() const override { return false; }
    void kill() override {}
    void restart() override {}

private:
    void run(const nlohmann::json& steps) {
        control_->command({{"type", "simulate"}, {"action", "scenario"}, {"scenario", {{"steps", steps}}}});
    }

    // The simulator's scenario cannot wait for the agent, so the peer does: once the call is
    // answered, the caller hangs up.
    void watch_for_answer() {
        hang_up_after_answer_ = false;
        watcher_ = std::thread([this] {
            auto connected = control_->event_named("call.connected", std::chrono::seconds(20));
            control_->command({{"type", "simulate"}, {"action", "remote_hangup"},
                               {"call_id", connected["call"]["id"]}});
        });
    }

public:
    ~SimulatorPeer() override {
        if (watcher_.joinable()) watcher_.join();
    }

private:
    std::unique_ptr<WsClient> control_;
    std::thread watcher_;
    bool hang_up_after_answer_ = false;
};

}  // namespace

CTI_REGISTER_PEER("simulator", SimulatorPeer);

}  // namespace cti::test
