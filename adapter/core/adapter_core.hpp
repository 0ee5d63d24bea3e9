// The heart of the adapter: the driver and what the core does with it, on one strand so that
// no part needs a lock. Each job is a class of its own (docs/ARCHITECTURE.md): the pages
// (PageHub), the call table and what each change publishes (CallPublisher), the call log
// (CallLogService) and the agent's state (AgentStateService); this class starts and stops them,
// takes the driver's reports, and answers the pages' commands (command_handlers.cpp).
//
// Drivers report through the DriverEvents interface, from their own strands of the same loop:
// the core acts on a report at once (no hop), or queues it when the report comes from inside
// the core's own code (a driver answering synchronously). Pages send commands through submit()
// (from their own strands), posted onto the core's strand.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include "agent/agent_state.hpp"
#include "call_log/call_log_journal.hpp"
#include "core/agent_state_service.hpp"
#include "core/call_log_service.hpp"
#include "core/call_publisher.hpp"
#include "core/call_table.hpp"
#include "core/client_connection.hpp"
#include "core/command_rate_limiter.hpp"
#include "core/page_hub.hpp"
#include "cti/driver.hpp"
#include "dial_plan/dial_plan.hpp"
#include "logging/refusal_log.hpp"
#include "pairing/pairing_service.hpp"
#include "strand_entry.hpp"

namespace cti {

struct CoreOptions {
    std::string adapter_version;
    std::string epoch;                  // identifies this run
    std::size_t replay_capacity = 1024; // events kept for `resume`
    DialPlanSettings dial_plan;
    AgentSettings agent;
    ScreenPopSettings screen_pop;
    CommandRates command_rates;
    // A page's send queue (limits.client_queue_limit): a resume that would not fit half of it
    // gets a resync snapshot instead of a replay that would close the page with 4008.
    std::size_t client_queue_limit = 256;
};

// A consistent view for /status, readable from any thread.
struct CoreStatus {
    DriverInfo driver;
    std::size_t clients = 0;
    std::size_t active_calls = 0;
    std::uint64_t last_seq = 0;
};

class AdapterCore final : private DriverEvents {
public:
    AdapterCore(boost::asio::io_context& io, CoreOptions options, std::unique_ptr<Driver> driver,
                std::unique_ptr<CallLogJournal> journal, PairingService& pairing);
    ~AdapterCore() override;

    void start();
    // Stops the driver (ending its calls), closes every client with 1001, and calls `drained`
    // (on the strand) once the last client is gone.
    void shutdown(std::function<void()> drained);

    void attach(std::shared_ptr<ClientConnection> client);
    void detach(const ClientConnection* client);
    void submit(std::weak_ptr<ClientConnection> client, std::string text);

    CoreStatus status() const;
    const CoreOptions& options() const { return options_; }
    // The throttled warnings for refusals, shared by the core and every session (ServerContext).
    RefusalLog& refusal_log() { return refusal_log_; }

private:
    using Client = PageHub::Page;

    // DriverEvents: called from the driver's strand (or any thread), run on the core's strand.
    void on_call(CallReport report) override;
    void on_status(DriverStatus status) override;
    // Runs a driver's report or answer on the strand: at once when the strand is free, queued
    // when this thread is inside the core already (the core never re-enters itself).
    template <typename Step>
    void from_driver(Step&& step);
    // Shutdown, once the driver has reported `stopped`: the calls still up end, the pages close.
    void finish_shutdown();

    void apply_report(const CallReport& report);
    void apply_status(const DriverStatus& status);
    void publish(const CallChange& change);
    void publish_status_view();
    void notify_if_drained();

    // Commands (command_handlers.cpp): the table of command types and their handlers.
    void handle(const Client& client, const std::string& text);
    bool within_rate(const Client& client, std::string_view type);
    // Closes a client once the driver has answered every command it sent (the results of the
    // dials it placed reach it before the close); at once when none is outstanding.
    void close_after_answers(const Client& client, std::uint16_t code, std::string reason);
    void answered(const Client& client);
    void dispatch(const Client& client, protocol::Command& command);
    void ping(const Client& client, protocol::Command& command);
    void send_snapshot(const Client& client, protocol::Command& command);
    void call_command(const Client& client, protocol::Command& command, DriverCommand::Kind kind);
    void dial(const Client& client, protocol::Command& command);
    void simulate(const Client& client, protocol::Command& command);
    void resume(const Client& client, protocol::Command& command);
    void resume_session(const Client& client, const protocol::Command& command);
    void save_log(const Client& client, protocol::Command& command);
    void history(const Client& client, protocol::Command& command);
    void set_agent_state(const Client& client, protocol::Command& command);
    void pairing_command(const Client& client, protocol::Command& command);  // pairing_commands.cpp
    // `after_journal`: the result waits until the journal has written what the command caused.
    void run_on_driver(const Client& client, protocol::RequestId id, DriverCommand command,
                       std::string reserved_id, bool after_journal = false);
    bool driver_can(const Client& client, const protocol::RequestId& id, Capability capability);

    static void send(const Client& client, protocol::Frame frame) { PageHub::send(client, std::move(frame)); }
    static void reply_error(const Client& client, const protocol::RequestId& id, std::string_view code,
                            std::string_view message);

    protocol::Snapshot snapshot() const;
    DriverInfo driver_info() const;

    boost::asio::io_context& io_;
    boost::asio::strand<boost::asio::io_context::executor_type> strand_;
    CoreOptions options_;
    std::unique_ptr<Driver> driver_;
    DriverStatus driver_status_;
    bool stopping_ = false;
    std::function<void()> drained_;
    PairingService& pairing_;
    DialPlan dial_plan_;
    CallTable calls_;
    PageHub pages_;
    CommandRateLimiter command_rates_;
    RefusalLog refusal_log_;
    // Driver commands not answered yet, per client (weak: a pointer could be reused), and the
    // close each client waits to get once they are (close_after_answers).
    std::map<Client, std::size_t, std::owner_less<Client>> unanswered_;
    std::map<Client, std::pair<std::uint16_t, std::string>, std::owner_less<Client>> close_when_answered_;

    mutable std::mutex status_mutex_;
    CoreStatus status_view_;

    // The call log goes before the agent's state and the publisher, which use it, and its
    // destructor flushes the journal while the strand and the pages are still there.
    CallLogService call_logs_;
    AgentStateService agent_;
    CallPublisher publisher_;
};

// On a loop run by one thread the strand is free whenever the driver's own handler runs, so
// dispatch runs the step right here, before the driver's call returns: a report reaches the
// pages' writes with no hop. From inside the core (a driver reporting or answering within
// execute() or stop()) the step is queued behind the core's code instead, in order; from
// another thread it is queued as well.
template <typename Step>
void AdapterCore::from_driver(Step&& step) {
    drivers::enter(strand_, std::forward<Step>(step));
}

}  // namespace cti
