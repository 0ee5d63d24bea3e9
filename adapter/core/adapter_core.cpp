#include "core/adapter_core.hpp"

#include <algorithm>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include "logging/logging.hpp"

namespace cti {
namespace {

std::string_view event_name(CallReport::Kind kind) {
    switch (kind) {
        case CallReport::Kind::offered: return "call.ringing";
        case CallReport::Kind::dialing: return "call.dialing";
        case CallReport::Kind::connected: return "call.connected";
        case CallReport::Kind::held: return "call.held";
        case CallReport::Kind::resumed: return "call.resumed";
        case CallReport::Kind::ended: return "call.ended";
    }
    return "call.unknown";
}

// " (failed: 404 Not Found)" for the log line of an ended call; the detail is the phone
// system's text, so it is made printable first.
std::string describe_end(const Call& call) {
    if (!call.end_reason) return "";
    std::string text = " (" + std::string(to_string(*call.end_reason));
    if (!call.end_detail.empty()) text += ": " + printable(call.end_detail, 120);
    return text + ")";
}

// The call_log events of one transaction go out together when it commits. Kept well under a
// page's send queue (limits.client_queue_limit, 256 by default), so that a burst of calls ended
// during a slow disk sync does not close a page that reads perfectly well (4008).
constexpr std::size_t records_per_transaction = 64;

}  // namespace

AdapterCore::AdapterCore(boost::asio::io_context& io, CoreOptions options,
                         std::unique_ptr<Driver> driver, std::unique_ptr<CallLogJournal> journal,
                         PairingService& pairing)
    : io_(io),
      strand_(boost::asio::make_strand(io)),
      options_(std::move(options)),
      driver_(std::move(driver)),
      pairing_(pairing),
      dial_plan_(options_.dial_plan),
      caller_lookup_(io, options_.screen_pop),
      wrap_up_timer_(strand_),
      calls_(options_.epoch.substr(0, 8), std::string(driver_->name())),
      events_(options_.epoch, options_.replay_capacity),
      command_rates_(options_.command_rates) {
    status_view_.driver = driver_info();
    // Before any page can connect: read what the last run left, then hand the journal over.
    restore_agent_state(*journal);
    log_calls_left_open(*journal);
    try {
        pending_logs_.reset(journal->pending(pending_logs_.capacity() + 1));
    } catch (const CallLogError& error) {
        spdlog::error("cannot read pending call logs: {}", error.what());
    }
    writer_ = std::make_unique<CallLogWriter>(std::move(journal), records_per_transaction);
}

AdapterCore::~AdapterCore() { writer_.reset(); }  // flushes what is queued (SIGTERM loses nothing)

void AdapterCore::start() {
    boost::asio::post(strand_, [this] { schedule_wrap_up_end(); });
    spdlog::info("starting driver '{}'", driver_->name());
    driver_->start(io_, *this);
}

void AdapterCore::shutdown(std::function<void()> drained) {
    boost::asio::post(strand_, [this, drained = std::move(drained)]() mutable {
        if (stopping_) return;
        stopping_ = true;
        drained_ = std::move(drained);
        wrap_up_timer_.cancel();
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
    after_queued_writes([this] {
        for (auto& [raw, weak] : clients_)
            if (auto client = weak.lock()) client->close(close_code::going_away, "adapter shutting down");
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
        clients_.emplace_back(client.get(), client);
        spdlog::info("{} connected ({} connected)", client->label(), clients_.size());
        publish_status_view();
    });
}

void AdapterCore::detach(const ClientConnection* client) {
    boost::asio::post(strand_, [this, client] {
        std::erase_if(clients_, [client](const auto& entry) { return entry.first == client; });
        command_rates_.forget(client);
        std::erase_if(unanswered_, [](const auto& entry) { return entry.first.expired(); });
        std::erase_if(close_when_answered_, [](const auto& entry) { return entry.first.expired(); });
        publish_status_view();
        if (stopping_) notify_if_drained();
    });
}

void AdapterCore::notify_if_drained() {
    std::erase_if(clients_, [](const auto& entry) { return entry.second.expired(); });
    if (!drained_) return;
    if (!clients_.empty()) return spdlog::debug("shutting down: {} clients still closing", clients_.size());
    spdlog::debug("shutting down: every client is gone");
    std::exchange(drained_, nullptr)();
}

void AdapterCore::submit(std::weak_ptr<ClientConnection> client, std::string text) {
    boost::asio::post(strand_, [this, client = std::move(client), text = std::move(text)] {
        handle(client, text);
    });
}

void AdapterCore::broadcast(const protocol::Frame& frame) {
    for (const auto& [raw, weak] : clients_)
        if (auto client = weak.lock()) client->deliver(frame);
}

void AdapterCore::send(const Client& client, protocol::Frame frame) {
    if (auto connection = client.lock()) connection->deliver(std::move(frame));
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
    broadcast(events_.append("driver.status",
                             {{"driver", protocol::to_json(driver_info())},
                              {"status", to_string(status.state)}}));
    publish_status_view();
}

void AdapterCore::publish(const CallChange& change) {
    const Call& call = change.call;
    nlohmann::json fields{{"call", protocol::to_json(call)}};
    if (change.kind == CallReport::Kind::ended) {
        fields["reason"] = to_string(*call.end_reason);
        fields["detail"] = call.end_detail;
    }
    broadcast(events_.append(event_name(change.kind), std::move(fields)));
    spdlog::info("call {} {} {} {} -> {}{}", call.id, to_string(call.direction),
                 to_string(call.state), masked(call.from.number), masked(call.to.number),
                 describe_end(call));

    if (change.kind == CallReport::Kind::ended) {
        screen_pops_.erase(call.id);
        journal_call(call);
        // After a call the agent talked on, wrap-up time (unless they chose not ready).
        if (call.answered_at && options_.agent.wrap_up_seconds > 0 &&
            agent_.mode != AgentState::Mode::not_ready) {
            AgentState wrap_up;
            wrap_up.mode = AgentState::Mode::wrap_up;
            wrap_up.since = Clock::now();
            wrap_up.wrap_up_ends = wrap_up.since + std::chrono::seconds(options_.agent.wrap_up_seconds);
            change_agent_state(std::move(wrap_up));
        }
    }

    keep_open_call(change);
    if (change.kind == CallReport::Kind::offered || change.kind == CallReport::Kind::dialing)
        start_screen_pop(call);
    publish_status_view();
}

// The caller lookup may wait for an HTTP service; call.ringing has gone out already, and the
// screen_pop follows when the lookup answers or times out (at once without an HTTP lookup).
void AdapterCore::start_screen_pop(const Call& call) {
    caller_lookup_.find(call, [this](ScreenPop pop) {
        boost::asio::dispatch(strand_, [this, pop = std::move(pop)]() mutable { publish_screen_pop(std::move(pop)); });
    });
}

void AdapterCore::publish_screen_pop(ScreenPop pop) {
    const Call* now = calls_.find(pop.call.id);
    if (!now) return spdlog::debug("call {} ended before its caller lookup answered: no screen pop", pop.call.id);
    pop.call = *now;  // it may have been answered while the lookup ran
    spdlog::info("call {} screen pop: {} match(es), {}", pop.call.id, pop.matches.size(), to_string(pop.pop));
    screen_pops_.insert_or_assign(pop.call.id, pop);
    broadcast(events_.append("screen_pop", protocol::screen_pop_fields(pop)));
}

// Every ended call goes to the journal first, then to the pages as `call_log`: the event is sent
// once the record has committed, so a page never sees a log that a crash could still lose. The
// write runs on the journal's thread; the pops and events of other calls do not wait for it.
// It stays pending (offered in every snapshot) until a page acknowledges it with `save_log`.
void AdapterCore::journal_call(const Call& call) {
    // A call that never connected has nothing to wrap up, unless the config says otherwise.
    const bool wrapped_up = !call.answered_at && !options_.agent.wrap_up_unanswered;
    writer_->queue([this, call, wrapped_up](CallLogJournal& journal) -> CallLogWriter::Completion {
        std::optional<CallLogRecord> record;
        std::string problem;
        try {
            record = journal.record(call, wrapped_up);
            journal.forget_open(call.id);  // in the same transaction: an ended call is forgotten only once logged
        } catch (const CallLogError& error) {
            problem = error.what();
        }
        return [this, call, record = std::move(record), problem = std::move(problem)](bool committed) {
            boost::asio::post(strand_, [this, call, record, problem, committed] {
                announce_call_log(call, committed ? record : std::nullopt,
                                  committed ? problem : "the transaction did not commit");
            });
        };
    });
}

void AdapterCore::announce_call_log(const Call& call, const std::optional<CallLogRecord>& record,
                                    const std::string& problem) {
    nlohmann::json log;
    if (record) {
        log = to_json(*record);
        if (!record->acknowledged) pending_logs_.add(*record);
    } else {
        // The pages still get it now; only the copy on disk is missing. Say so loudly.
        spdlog::error("call {} could not be written to the call log: {}", call.id, problem);
        CallLogRecord unsaved;
        unsaved.log_id = call.id;
        unsaved.call = call;
        log = to_json(unsaved);
        log["journaled"] = false;
    }
    broadcast(events_.append("call_log", {{"log", std::move(log)}}));
}

// The pending list holds only the oldest records; once one of them is saved, the next ones come
// from the journal. The read is queued behind every write so far, and its answer is applied
// after theirs, so the list stays what the journal holds.
void AdapterCore::reload_pending_logs() {
    const auto limit = pending_logs_.capacity() + 1;
    writer_->queue([this, limit](CallLogJournal& journal) -> CallLogWriter::Completion {
        try {
            auto records = journal.pending(limit);
            return [this, records = std::move(records)](bool committed) {
                if (!committed) return;
                boost::asio::post(strand_, [this, records] { pending_logs_.reset(records); });
            };
        } catch (const CallLogError& error) {
            spdlog::error("cannot read pending call logs: {}", error.what());
            return {};
        }
    });
}

// A call that is up is kept in the journal until its log is written, so that even a killed
// adapter (SIGKILL, a crash, a power cut) logs it on its next start. The journal's thread writes
// it; the record of its end is queued after it (journal_call), and forgets it.
void AdapterCore::keep_open_call(const CallChange& change) {
    const auto kind = change.kind;
    if (kind != CallReport::Kind::offered && kind != CallReport::Kind::dialing && kind != CallReport::Kind::connected)
        return;
    writer_->queue([call = change.call](CallLogJournal& journal) -> CallLogWriter::Completion {
        try {
            journal.remember_open(call);
        } catch (const CallLogError& error) {
            spdlog::error("call {}: cannot keep it in the call log while it is up: {}", call.id, error.what());
        }
        return {};
    });
}

// Runs `then` on the strand once every write queued so far has ended.
void AdapterCore::after_queued_writes(std::function<void()> then) {
    writer_->queue([this, then = std::move(then)](CallLogJournal&) -> CallLogWriter::Completion {
        return [this, then](bool) { boost::asio::post(strand_, then); };
    });
}

// What the last run could not log: its calls end now, as lost with the driver.
void AdapterCore::log_calls_left_open(CallLogJournal& journal) {
    try {
        for (auto call : journal.open_calls()) {
            call.state = CallState::ended;
            call.ended_at = Clock::now();
            call.end_reason = EndReason::driver_lost;
            call.end_detail = "the adapter stopped while the call was up";
            journal.record(call);
            journal.forget_open(call.id);
            spdlog::warn("call {} was still up when the adapter last stopped; logged as ended ({})", call.id,
                         to_string(EndReason::driver_lost));
        }
    } catch (const CallLogError& error) {
        spdlog::error("cannot log the calls left open by the last run: {}", error.what());
    }
}

// ---- the agent's state ----

void AdapterCore::restore_agent_state(CallLogJournal& journal) {
    try {
        if (auto stored = journal.load_value("agent_state"))
            if (auto state = AgentState::from_stored(nlohmann::json::parse(*stored, nullptr, false))) agent_ = *state;
    } catch (const CallLogError& error) {
        spdlog::error("cannot read the agent state: {}", error.what());
    }
    if (agent_.since == TimePoint{}) agent_.since = Clock::now();
}

void AdapterCore::change_agent_state(AgentState state) {
    agent_ = std::move(state);
    writer_->queue([stored = agent_.to_stored().dump()](CallLogJournal& journal) -> CallLogWriter::Completion {
        try {
            journal.store_value("agent_state", stored);
        } catch (const CallLogError& error) {
            spdlog::error("cannot keep the agent state: {}", error.what());
        }
        return {};
    });
    spdlog::info("agent is {}{}", to_string(agent_.mode),
                 agent_.reason.empty() ? "" : " (" + printable(agent_.reason) + ")");
    broadcast(events_.append("agent.state", {{"agent", agent_.to_json()}}));
    schedule_wrap_up_end();
}

// One timer for the end of wrap-up, armed only while in wrap-up: nothing wakes up otherwise.
void AdapterCore::schedule_wrap_up_end() {
    wrap_up_timer_.cancel();
    if (agent_.mode != AgentState::Mode::wrap_up || !agent_.wrap_up_ends) return;
    const auto left = *agent_.wrap_up_ends - Clock::now();
    wrap_up_timer_.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::max(left, Clock::duration::zero())));
    wrap_up_timer_.async_wait([this](boost::system::error_code ec) {
        if (ec || agent_.mode != AgentState::Mode::wrap_up) return;
        AgentState ready;
        ready.mode = AgentState::Mode::ready;
        ready.since = Clock::now();
        change_agent_state(std::move(ready));
    });
}

// ---- views ----

protocol::DriverInfo AdapterCore::driver_info() const {
    return {std::string(driver_->name()), driver_status_};
}

protocol::Snapshot AdapterCore::snapshot() const {
    protocol::Snapshot snapshot{options_.epoch, events_.last_seq(), driver_info(), calls_.active()};
    snapshot.agent = agent_.to_json();
    for (auto [id, pop] : screen_pops_) {
        if (const Call* now = calls_.find(id)) {
            pop.call = *now;  // as the call is now (answered, held, ...), not as it was at the pop
            snapshot.screen_pops.push_back(protocol::screen_pop_fields(pop));
        }
    }
    snapshot.call_logs = pending_logs_.to_json();
    return snapshot;
}

void AdapterCore::publish_status_view() {
    std::lock_guard lock(status_mutex_);
    status_view_.driver = driver_info();
    status_view_.clients = clients_.size();
    status_view_.active_calls = calls_.size();
    status_view_.last_seq = events_.last_seq();
}

CoreStatus AdapterCore::status() const {
    std::lock_guard lock(status_mutex_);
    return status_view_;
}

}  // namespace cti
