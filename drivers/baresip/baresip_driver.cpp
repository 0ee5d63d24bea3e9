// The baresip driver. Everything runs on the driver's own thread (one io_context): the ctrl_tcp
// connection, the managed baresip process, timers and commands from the core, so the call
// tracker needs no lock.
//
// Life cycle: [managed: start baresip, wait for "baresip is ready."] -> connect once -> rebuild
// state (reginfo, listcalls, callstat) -> connected -> ... connection lost -> disconnected (the
// core ends the calls driver_lost) -> retry after a capped, doubling delay.
#include "baresip/baresip_driver.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <thread>
#include <utility>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "baresip/baresip_settings.hpp"
#include "baresip/call_tracker.hpp"
#include "baresip/ctrl_connection.hpp"
#include "baresip/managed_baresip.hpp"
#include "baresip/menu_output.hpp"
#include "baresip/sip_uri.hpp"

namespace cti {
namespace {

namespace net = boost::asio;
using namespace baresip;
using std::chrono::milliseconds;

class BaresipDriver final : public Driver {
public:
    explicit BaresipDriver(BaresipSettings settings)
        : settings_(std::move(settings)), retry_delay_(settings_.reconnect_min_ms) {}
    ~BaresipDriver() override { stop(); }

    std::string_view name() const override { return "baresip"; }

    // Only what was verified against baresip 1.0.0: transfer and DTMF are accepted by its menu
    // but were not confirmed on the wire, so they are not offered.
    Capabilities capabilities() const override {
        return {Capability::dial, Capability::answer, Capability::decline, Capability::hangup,
                Capability::hold, Capability::resume};
    }

    void start(DriverEvents& events) override {
        events_ = &events;
        thread_ = std::thread([this] { io_.run(); });
        net::post(io_, [this] { begin(); });
    }

    void stop() override {
        if (!thread_.joinable()) return;
        net::post(io_, [this] {
            stopping_ = true;
            retry_timer_.cancel();
            start_timer_.cancel();
            drop_connection();
            if (process_) process_->stop();
            status(DriverState::stopped, "baresip driver stopped");
            io_.stop();
        });
        thread_.join();
        process_.reset();
    }

    void execute(DriverCommand command, CommandDone done) override {
        net::post(io_, [this, command = std::move(command), done = std::move(done)]() mutable {
            carry_out(command, std::move(done));
        });
    }

private:
    // ---- getting connected ----

    void begin() {
        if (settings_.managed) return start_process();
        status(DriverState::connecting, "connecting to baresip at " + settings_.ctrl.text());
        connect();
    }

    void start_process() {
        if (!process_) process_ = std::make_unique<ManagedBaresip>(io_, settings_);
        status(DriverState::connecting, "starting baresip (" + settings_.baresip_path + ")");
        auto problem = process_->start({[this] { on_process_ready(); },
                                        [this](const std::string& why) { on_process_exit(why); }});
        if (!problem.empty()) return retry_later(problem);
        start_timer_.expires_after(milliseconds(settings_.start_timeout_ms));
        start_timer_.async_wait([this](boost::system::error_code ec) {
            if (ec || stopping_) return;
            process_->stop();
            retry_later("baresip did not report \"baresip is ready.\" within " +
                        std::to_string(settings_.start_timeout_ms) + " ms");
        });
    }

    void on_process_ready() {
        start_timer_.cancel();
        connect();
    }

    void on_process_exit(const std::string& why) {
        start_timer_.cancel();
        drop_connection();
        retry_later(why);
    }

    void connect() {
        auto connection = std::make_shared<CtrlConnection>(
            io_,
            CtrlConnection::Handlers{[this](const CtrlEvent& event) { on_event(event); },
                                     [this](const std::string& why) { on_lost(why); },
                                     [this](const std::string& why) { skipped(why); }},
            milliseconds(settings_.command_timeout_ms));
        connection_ = connection;
        connection->connect(settings_.ctrl, [this, connection](const std::string& error) {
            if (stopping_ || connection_ != connection) return;
            if (!error.empty()) {
                connection_.reset();
                return retry_later("cannot connect to baresip ctrl_tcp at " + settings_.ctrl.text() + ": " + error);
            }
            rebuild_state();
        });
    }

    // Events that happened while nobody was connected are lost: ask baresip what it has now.
    void rebuild_state() {
        send("reginfo", "", [this](const CtrlResponse& reginfo) {
            auto aors = parse_reginfo(reginfo.data);
            if (!aors.empty()) tracker_.set_account(aors.front());
            send("listcalls", "", [this](const CtrlResponse& list) {
                auto calls = parse_listcalls(list.data);
                auto current = std::find_if(calls.begin(), calls.end(), [](const auto& c) { return c.current; });
                if (current == calls.end()) return connected(calls.size());
                const bool on_hold = current->on_hold;
                send("callstat", "", [this, on_hold, count = calls.size()](const CtrlResponse& stat) {
                    auto details = parse_callstat(stat.data);
                    connected(count);
                    if (details) report(tracker_.adopt(*details, on_hold));
                });
            });
        });
    }

    void connected(std::size_t calls_on_phone) {
        retry_delay_ = settings_.reconnect_min_ms;
        std::string detail = "connected to baresip at " + settings_.ctrl.text();
        if (!tracker_.account().empty()) detail += " as " + tracker_.account();
        // baresip 1.0.0 acts on its "current" call only; other calls cannot be addressed.
        if (calls_on_phone > 1)
            detail += "; " + std::to_string(calls_on_phone) + " calls on the phone, only the current one is followed";
        status(DriverState::connected, detail);
    }

    // A command of the rebuild sequence; no answer means the connection is not usable.
    void send(const std::string& command, const std::string& params, std::function<void(const CtrlResponse&)> next) {
        auto connection = connection_;
        connection->send(command, params, [this, command, connection, next = std::move(next)](std::optional<CtrlResponse> response) {
            if (stopping_ || connection_ != connection) return;
            if (!response) return on_lost("baresip did not answer '" + command + "'");
            next(*response);
        });
    }

    void on_lost(const std::string& why) {
        drop_connection();
        retry_later(why);
    }

    void drop_connection() {
        tracker_.clear();
        if (auto connection = std::exchange(connection_, nullptr)) connection->close();
    }

    void retry_later(const std::string& why) {
        if (stopping_) return;
        tracker_.clear();
        status(DriverState::disconnected, why + "; retrying");
        retry_timer_.expires_after(milliseconds(retry_delay_));
        retry_delay_ = std::min(retry_delay_ * 2, settings_.reconnect_max_ms);
        retry_timer_.async_wait([this](boost::system::error_code ec) {
            if (ec || stopping_) return;
            // In managed mode a lost connection with baresip still running only needs a reconnect.
            if (settings_.managed && !(process_ && process_->running())) return start_process();
            connect();
        });
    }

    // ---- what baresip reports ----

    void on_event(const CtrlEvent& event) { report(tracker_.on_event(event)); }

    void skipped(const std::string& why) {
        // Ignored, but visible: the detail changes while the state stays connected.
        if (last_status_.state == DriverState::connected)
            status(DriverState::connected, last_connected_detail() + " (ignored " + why + ")");
    }

    std::string last_connected_detail() const {
        auto detail = last_status_.detail;
        if (auto cut = detail.find(" (ignored "); cut != std::string::npos) detail.resize(cut);
        return detail;
    }

    // ---- commands from the core ----

    void carry_out(const DriverCommand& command, CommandDone done) {
        using Kind = DriverCommand::Kind;
        if (!connection_ || last_status_.state != DriverState::connected)
            return done(CommandOutcome::failure("driver_unavailable", "not connected to baresip"));
        if (command.kind == Kind::dial) return dial(command, std::move(done));
        if (!tracker_.has(command.ref))
            return done(CommandOutcome::failure("no_such_call", "baresip has no call '" + command.ref + "'"));
        switch (command.kind) {
            case Kind::answer: return call_command("accept", command.ref, std::move(done));
            case Kind::decline:
            case Kind::hangup:
                tracker_.agent_ends(command.ref);  // its CALL_CLOSED may come before the response
                return call_command("hangup", command.ref, std::move(done));
            case Kind::hold:
                return call_command("hold", command.ref, std::move(done), [this](const std::string& ref) { report(tracker_.held(ref)); });
            case Kind::resume:
                return call_command("resume", command.ref, std::move(done), [this](const std::string& ref) { report(tracker_.resumed(ref)); });
            default:
                return done(CommandOutcome::failure("unsupported", "the baresip driver cannot do this"));
        }
    }

    void dial(const DriverCommand& command, CommandDone done) {
        std::string domain = settings_.dial_domain;
        if (domain.empty()) {
            auto account = parse_sip_uri(tracker_.account());
            if (account) domain = account->host_port;
        }
        if (domain.empty())
            return done(CommandOutcome::failure("driver_error", "no dial_domain is configured and baresip reported no account"));
        const auto uri = dial_uri_for(settings_.dial_uri, domain, command.number);
        // Reported before the command goes out: baresip's first events may beat its response.
        report(tracker_.begin_dial(command.ref, command.number));
        connection_->send("dial", uri, [this, ref = command.ref, done = std::move(done)](std::optional<CtrlResponse> response) {
            if (response && response->ok) return done(CommandOutcome::success());
            if (!stopping_) report(tracker_.dial_failed(ref));
            done(failure_of("dial", response));
        });
    }

    // baresip acts on its current call; with one call at a time that is the call in question.
    void call_command(const std::string& verb, const std::string& ref, CommandDone done,
                      std::function<void(const std::string&)> on_ok = {}) {
        connection_->send(verb, "", [this, verb, ref, done = std::move(done), on_ok = std::move(on_ok)](std::optional<CtrlResponse> response) {
            if (!response || !response->ok) return done(failure_of(verb, response));
            if (on_ok && !stopping_) on_ok(ref);
            done(CommandOutcome::success());
        });
    }

    CommandOutcome failure_of(const std::string& verb, const std::optional<CtrlResponse>& response) const {
        if (!response)
            return CommandOutcome::failure("driver_error", "baresip gave no answer to '" + verb + "' within " +
                                                               std::to_string(settings_.command_timeout_ms) + " ms");
        auto text = response->data;
        while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
        return CommandOutcome::failure("driver_error", "baresip refused '" + verb + "': " + text);
    }

    // ---- to the core ----

    void report(const Reports& reports) {
        if (stopping_) return;
        for (const auto& report : reports) events_->on_call(report);
    }

    void status(DriverState state, std::string detail) {
        if (stopping_ && state != DriverState::stopped) return;
        last_status_ = {state, detail};
        events_->on_status({state, std::move(detail)});
    }

    BaresipSettings settings_;
    DriverEvents* events_ = nullptr;
    net::io_context io_{1};
    net::executor_work_guard<net::io_context::executor_type> work_{io_.get_executor()};
    net::steady_timer retry_timer_{io_};
    net::steady_timer start_timer_{io_};
    std::thread thread_;
    std::unique_ptr<ManagedBaresip> process_;
    std::shared_ptr<CtrlConnection> connection_;
    CallTracker tracker_;
    DriverStatus last_status_;
    std::int64_t retry_delay_;
    bool stopping_ = false;
};

std::unique_ptr<Driver> create_baresip(SettingsReader& reader) {
    return std::make_unique<BaresipDriver>(read_settings(reader));
}

}  // namespace

DriverFactory baresip_driver_factory() {
    return {"baresip", "the baresip softphone, controlled through its ctrl_tcp module", &create_baresip};
}

}  // namespace cti
