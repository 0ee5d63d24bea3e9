#include "core/adapter_core.hpp"

#include <algorithm>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include "logging/logging.hpp"

namespace cti {

AdapterCore::AdapterCore(boost::asio::io_context& io, CoreOptions options,
                         std::unique_ptr<Driver> driver, std::unique_ptr<CallLogJournal> journal,
                         PairingService& pairing)
    : io_(io),
      strand_(boost::asio::make_strand(io)),
      options_(std::move(options)),
      driver_(std::move(driver)),
      pairing_(pairing),
      dial_plan_(options_.dial_plan),
      calls_(options_.epoch.substr(0, 8), std::string(driver_->name())),
      pages_(options_.epoch, options_.replay_capacity),
      command_rates_(options_.command_rates),
      // Before any page can connect: read what the last run left, then hand the journal over.
      call_logs_(strand_, pages_, std::move(journal), options_.agent.wrap_up_unanswered),
      agent_(strand_, options_.agent, pages_, [this](const AgentState& state) { call_logs_.keep_agent_state(state); }),
      publisher_(io, strand_, options_.screen_pop, calls_, pages_, call_logs_, agent_) {
    agent_.restore(call_logs_.restored_agent_state());
    status_view_.driver = driver_info();
}

AdapterCore::~AdapterCore() = default;  // the call log flushes what is queued (SIGTERM loses nothing)

void AdapterCore::start() {
    boost::asio::post(strand_, [this] { agent_.start(); });
    spdlog::info("starting driver '{}'", driver_->name());
    driver_->start(io_, *this);
}

void AdapterCore::shutdown(std::function<void()> drained) {
    boost::asio::post(strand_, [this, drained = std::move(drained)]() mutable {
        if (stopping_) return;
        stopping_ = true;
        drained_ = std::move(drained);
        agent_.stop();
        // Stop the driver first: its final reports and its `stopped` status still reach the
        // clients before they are closed. It may report `stopped` only later, once it has let
        // go of the phone system (a SIP unregistration answered); the service's stop deadline
        // bounds the wait.
        driver_->stop();
        if (driver_status_.state == DriverState::stopped) finish_shutdown();
    });
}

void AdapterCore::finish_shutdown() {
    // After the driver's last reports: whatever is still up cannot be followed any more.
    for (const auto& change : calls_.end_all(EndReason::driver_lost, "the adapter stopped", Clock::now()))
        publish(change);
    // The pages hear of every call log written before they are closed.
    call_logs_.after_queued_writes([this] {
        pages_.close_all(close_code::going_away, "adapter shutting down");
        notify_if_drained();
    });
}

// ---- clients ----

void AdapterCore::attach(std::shared_ptr<ClientConnection> client) {
    boost::asio::post(strand_, [this, client = std::move(client)] {
        if (stopping_) return client->close(close_code::going_away, "adapter shutting down");
        client->deliver(protocol::encode_hello({options_.adapter_version, options_.epoch, driver_info(),
                                                driver_->capabilities(), options_.agent.not_ready_reasons}));
        client->deliver(protocol::encode_snapshot(snapshot(), false));
        pages_.add(client);
        spdlog::info("{} connected ({} connected)", client->label(), pages_.size());
        publish_status_view();
    });
}

void AdapterCore::detach(const ClientConnection* client) {
    boost::asio::post(strand_, [this, client] {
        pages_.remove(client);
        command_rates_.forget(client);
        std::erase_if(unanswered_, [](const auto& entry) { return entry.first.expired(); });
        std::erase_if(close_when_answered_, [](const auto& entry) { return entry.first.expired(); });
        publish_status_view();
        if (stopping_) notify_if_drained();
    });
}

void AdapterCore::notify_if_drained() {
    const auto left = pages_.remove_gone();
    if (!drained_) return;
    if (left > 0) return spdlog::debug("shutting down: {} clients still closing", left);
    spdlog::debug("shutting down: every client is gone");
    std::exchange(drained_, nullptr)();
}

void AdapterCore::submit(std::weak_ptr<ClientConnection> client, std::string text) {
    boost::asio::post(strand_, [this, client = std::move(client), text = std::move(text)] {
        handle(client, text);
    });
}

// ---- driver reports ----

void AdapterCore::on_call(CallReport report) {
    from_driver([this, report = std::move(report)] { apply_report(report); });
}

void AdapterCore::on_status(DriverStatus status) {
    from_driver([this, status = std::move(status)] { apply_status(status); });
}

void AdapterCore::apply_report(const CallReport& report) {
    auto outcome = calls_.apply(report, Clock::now());
    if (auto* rejected = std::get_if<RejectedReport>(&outcome)) {
        spdlog::warn("driver '{}': dropped a report: {}", driver_->name(), masked_text(rejected->reason));
        return;
    }
    publish(std::get<CallChange>(outcome));
}

void AdapterCore::apply_status(const DriverStatus& status) {
    const bool changed = status.state != driver_status_.state || status.detail != driver_status_.detail;
    driver_status_ = status;
    if (!changed) return;
    // The driver has let go of the phone system: the shutdown goes on after this status is out.
    if (stopping_ && status.state == DriverState::stopped)
        boost::asio::post(strand_, [this] { finish_shutdown(); });
    auto level = status.state == DriverState::disconnected ? spdlog::level::warn : spdlog::level::info;
    // The detail may name the agent's line ("simulated phone line +14155550100", a SIP user
    // that is a full number); /status shows it whole, the log masks it.
    spdlog::log(level, "driver '{}' is {}: {}", driver_->name(), to_string(status.state),
                masked_text(status.detail));
    if (status.state == DriverState::disconnected || status.state == DriverState::stopped)
        for (const auto& change : calls_.end_all(EndReason::driver_lost, status.detail, Clock::now()))
            publish(change);
    pages_.publish(DriverStatusEvent{driver_info()});
    publish_status_view();
}

void AdapterCore::publish(const CallChange& change) {
    publisher_.publish(change);
    publish_status_view();
}

// ---- views ----

DriverInfo AdapterCore::driver_info() const { return {std::string(driver_->name()), driver_status_}; }

protocol::Snapshot AdapterCore::snapshot() const {
    protocol::Snapshot snapshot;
    snapshot.epoch = options_.epoch;
    snapshot.seq = pages_.events().last_seq();
    snapshot.driver = driver_info();
    snapshot.calls = calls_.active();
    snapshot.agent = agent_.current();
    snapshot.screen_pops = calls_.screen_pops();
    snapshot.call_logs = call_logs_.pending();
    return snapshot;
}

void AdapterCore::publish_status_view() {
    std::lock_guard lock(status_mutex_);
    status_view_.driver = driver_info();
    status_view_.clients = pages_.size();
    status_view_.active_calls = calls_.size();
    status_view_.last_seq = pages_.events().last_seq();
}

CoreStatus AdapterCore::status() const {
    std::lock_guard lock(status_mutex_);
    return status_view_;
}

}  // namespace cti
