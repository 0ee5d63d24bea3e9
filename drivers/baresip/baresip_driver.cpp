// The baresip driver. Everything runs on a strand of the adapter's loop (BaresipLine): the
// ctrl_tcp connection, the managed baresip process, timers and commands from the core, so the
// call tracker needs no lock and an event from baresip reaches the core from the read's own
// handler. Every handler holds the line (`self`), so none outlives what it touches.
//
// Life cycle: [managed: start baresip, wait for "baresip is ready."] -> connect once -> rebuild
// state (reginfo, listcalls, callstat) -> connected -> ... connection lost -> disconnected (the
// core ends the calls driver_lost) -> retry after a capped, doubling delay.
#include "baresip/baresip_driver.hpp"

#include <algorithm>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "baresip/baresip_settings.hpp"
#include "baresip/call_tracker.hpp"
#include "baresip/ctrl_connection.hpp"
#include "baresip/managed_baresip.hpp"
#include "baresip/menu_output.hpp"
#include "baresip/sip_uri.hpp"
#include "loop/driver_line.hpp"
#include "loop/loop_driver.hpp"

namespace cti {
namespace {

namespace net = boost::asio;
using namespace baresip;
using std::chrono::milliseconds;

// The driver's state on its strand of the adapter's loop.
class BaresipLine final : public drivers::DriverLine, public std::enable_shared_from_this<BaresipLine> {
public:
    BaresipLine(net::io_context& loop, DriverEvents& events, const BaresipSettings& settings)
        : DriverLine(loop, events),
          settings_(settings),
          retry_timer_(strand_),
          start_timer_(strand_),
          retry_delay_(settings_.reconnect_min_ms) {}

    // Commands still queued are answered (not connected); a managed baresip is given its time
    // to exit, and `stopped` follows once it has.
    void stop() override {
        stopping_ = true;
        retry_timer_.cancel();
        start_timer_.cancel();
        drop_connection();
        for (auto& job : std::exchange(queued_, {})) job();
        if (!process_) return status(DriverState::stopped, "baresip driver stopped");
        // Weak: should the loop end before baresip has gone, nothing is left that holds the
        // line, and the process (owned by its own handlers) is killed as they are destroyed.
        process_->stop([weak = weak_from_this()] {
            if (auto self = weak.lock()) self->status(DriverState::stopped, "baresip driver stopped");
        });
    }

    void execute(DriverCommand command, CommandDone done) override {
        queued_.push_back([this, self = shared_from_this(), command = std::move(command), done = std::move(done)]() mutable {
            carry_out(command, finishing(std::move(done)));
        });
        next_command();
    }

    // ---- getting connected ----

    void begin() override {
        if (settings_.managed) return start_process();
        status(DriverState::connecting, "connecting to baresip at " + settings_.ctrl.text());
        connect();
    }

    void start_process() {
        if (!process_) process_ = std::make_shared<ManagedBaresip>(strand_, settings_);
        status(DriverState::connecting, "starting baresip (" + settings_.baresip_path + ")");
        auto problem = process_->start({[this, self = shared_from_this()] { on_process_ready(); },
                                        [this, self = shared_from_this()](const std::string& why) { on_process_exit(why); }});
        if (!problem.empty()) return retry_later(problem);
        start_timer_.expires_after(milliseconds(settings_.start_timeout_ms));
        start_timer_.async_wait([this, self = shared_from_this()](boost::system::error_code ec) {
            if (ec || stopping_) return;
            process_->stop([this, self] {
                retry_later("baresip did not report \"baresip is ready.\" within " +
                            std::to_string(settings_.start_timeout_ms) + " ms");
            });
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
            strand_,
            CtrlConnection::Handlers{[this, self = shared_from_this()](const CtrlEvent& event) { on_event(event); },
                                     [this, self = shared_from_this()](const std::string& why) { on_lost(why); },
                                     [this, self = shared_from_this()](const std::string& why) { skipped(why); }},
            milliseconds(settings_.command_timeout_ms));
        connection_ = connection;
        connection->connect(settings_.ctrl, [this, self = shared_from_this(), connection](const std::string& error) {
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
        send("reginfo", "", [this, self = shared_from_this()](const CtrlResponse& reginfo) {
            auto aors = parse_reginfo(reginfo.data);
            if (!aors.empty()) tracker_.set_account(aors.front());
            send("listcalls", "", [this, self = shared_from_this()](const CtrlResponse& list) {
                adopt_calls(parse_listcalls(list.data), 0, std::make_shared<Reports>());
            });
        });
    }

    // Every listed call in turn: `line N` makes it current, `callstat` tells its id and party.
    void adopt_calls(std::vector<ListedCall> calls, std::size_t next, std::shared_ptr<Reports> found) {
        if (next == calls.size()) {
            connected();
            return report(*found);
        }
        const auto line = std::to_string(calls[next].line);
        send("line", line, [this, self = shared_from_this(), calls = std::move(calls), next, found](const CtrlResponse&) mutable {
            send("callstat", "", [this, self = shared_from_this(), calls = std::move(calls), next, found](const CtrlResponse& stat) mutable {
                if (auto details = parse_callstat(stat.data)) {
                    auto adopted = tracker_.adopt(*details, calls[next]);
                    found->insert(found->end(), adopted.begin(), adopted.end());
                }
                adopt_calls(std::move(calls), next + 1, found);
            });
        });
    }

    void connected() {
        retry_delay_ = settings_.reconnect_min_ms;
        std::string detail = "connected to baresip at " + settings_.ctrl.text();
        if (!tracker_.account().empty()) detail += " as " + tracker_.account();
        status(DriverState::connected, detail);
    }

    // A command of the rebuild sequence; no answer means the connection is not usable.
    void send(const std::string& command, const std::string& params, std::function<void(const CtrlResponse&)> next) {
        auto connection = connection_;
        connection->send(command, params, [this, self = shared_from_this(), command, connection, next = std::move(next)](std::optional<CtrlResponse> response) {
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
        status(DriverState::disconnected, why + "; retrying in " + std::to_string(retry_delay_) + " ms");
        retry_timer_.expires_after(milliseconds(retry_delay_));
        retry_delay_ = std::min(retry_delay_ * 2, settings_.reconnect_max_ms);
        retry_timer_.async_wait([this, self = shared_from_this()](boost::system::error_code ec) {
            if (ec || stopping_) return;
            // In managed mode a lost connection with baresip still running only needs a reconnect.
            if (settings_.managed && !(process_ && process_->running())) return start_process();
            connect();
        });
    }

    // ---- what baresip reports ----

    void on_event(const CtrlEvent& event) {
        report(tracker_.on_event(event));
        if (tracker_.hold_check_needed(event)) check_holds();
    }

    // baresip held or resumed a call by itself (or confirms the agent's hold): read it back.
    void check_holds() {
        connection_->send("listcalls", "", [this, self = shared_from_this()](std::optional<CtrlResponse> list) {
            if (list && !stopping_) report(tracker_.reconcile_holds(parse_listcalls(list->data)));
        });
    }

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

    // baresip acts on its "current" call, so a command is a sequence (make the call current,
    // act on it). Sequences run one at a time so that no other command's selection slips in.
    void next_command() {
        if (busy_ || queued_.empty()) return;
        busy_ = true;
        auto job = std::move(queued_.front());
        queued_.pop_front();
        job();
    }

    CommandDone finishing(CommandDone done) {
        return [this, self = shared_from_this(), done = std::move(done)](CommandOutcome outcome) {
            done(std::move(outcome));
            net::post(strand_, [this, self] {
                busy_ = false;
                next_command();
            });
        };
    }

    void carry_out(const DriverCommand& command, CommandDone done) {
        using Kind = DriverCommand::Kind;
        if (!connection_ || last_status_.state != DriverState::connected)
            return done(fail(ErrorKind::unavailable, "not connected to baresip"));
        if (command.kind == Kind::dial) return dial(command, std::move(done));
        if (!tracker_.has(command.ref))
            return done(fail(ErrorKind::not_found, "baresip has no call '" + command.ref + "'"));
        const auto& ref = command.ref;
        switch (command.kind) {
            case Kind::answer:  // baresip would hold the previous call, which may not be the active one
                return hold_others_then(ref, std::move(done), [this, self = shared_from_this(), ref](CommandDone next) { act_on(ref, "accept", "", std::move(next)); });
            case Kind::decline:
            case Kind::hangup:
                tracker_.agent_ends(ref);  // its CALL_CLOSED may come before the response
                return act_on(ref, "hangup", "", std::move(done));
            case Kind::hold:
                return act_on(ref, "hold", "", std::move(done), [this, self = shared_from_this(), ref] { report(tracker_.held(ref)); });
            case Kind::resume:  // one call talks at a time, as on a phone
                return hold_others_then(ref, std::move(done), [this, self = shared_from_this(), ref](CommandDone next) {
                    act_on(ref, "resume", "", std::move(next), [this, self = shared_from_this(), ref] { report(tracker_.resumed(ref)); });
                });
            case Kind::transfer:
                return transfer(command, std::move(done));
            case Kind::dtmf:
                return act_on(ref, "sndcode", command.digits, std::move(done));
            default:
                return done(fail(ErrorKind::unsupported, "the baresip driver cannot do this"));
        }
    }

    // The SIP URI of a number: the dial_uri template with the configured or the account's domain.
    std::optional<std::string> uri_for(const std::string& number) const {
        std::string domain = settings_.dial_domain;
        if (domain.empty()) {
            auto account = parse_sip_uri(tracker_.account());
            if (account) domain = account->host_port;
        }
        if (domain.empty()) return std::nullopt;
        return dial_uri_for(settings_.dial_uri, domain, number);
    }

    static CommandOutcome no_domain() {
        return fail(ErrorKind::failed, "no dial_domain is configured and baresip reported no account");
    }

    void dial(const DriverCommand& command, CommandDone done) {
        const auto uri = uri_for(command.number);
        if (!uri) return done(no_domain());
        // Reported before the command goes out: baresip's first events may beat its response.
        report(tracker_.begin_dial(command.ref, command.number));
        connection_->send("dial", *uri, [this, self = shared_from_this(), ref = command.ref, done = std::move(done)](std::optional<CtrlResponse> response) {
            if (response && response->ok) return done(CommandReply{});
            auto failure = failure_of("dial", response);
            if (!stopping_) report(tracker_.dial_failed(ref, failure.error().message));
            done(std::move(failure));
        });
    }

    // A blind transfer: baresip sends a REFER; the call ends (normal) once the far end reports
    // the new call answered. A far end that refuses leaves the call as it was.
    void transfer(const DriverCommand& command, CommandDone done) {
        const auto uri = uri_for(command.number);
        if (!uri) return done(no_domain());
        act_on(command.ref, "transfer", *uri, std::move(done));
    }

    // Holds every other answered call, one by one, then goes on with `next`.
    void hold_others_then(const std::string& ref, CommandDone done, std::function<void(CommandDone)> next) {
        const auto others = tracker_.other_active_calls(ref);
        if (others.empty()) return next(std::move(done));
        const auto other = others.front();
        act_on(other, "hold", "", [this, self = shared_from_this(), ref, done = std::move(done), next = std::move(next)](CommandOutcome outcome) mutable {
            if (!outcome) return done(std::move(outcome));
            hold_others_then(ref, std::move(done), std::move(next));
        }, [this, self = shared_from_this(), other] { report(tracker_.held(other)); });
    }

    // Makes the call baresip's current one (`callfind`), then sends the command.
    void act_on(const std::string& ref, const std::string& verb, const std::string& params, CommandDone done,
                std::function<void()> on_ok = {}) {
        if (!connection_) return done(fail(ErrorKind::unavailable, "not connected to baresip"));
        const auto id = tracker_.baresip_id(ref);
        // A dial that has no id yet is baresip's newest call, which is its current one.
        if (id.empty()) return call_command(verb, params, std::move(done), std::move(on_ok));
        connection_->send("callfind", id, [this, self = shared_from_this(), id, verb, params, done = std::move(done), on_ok = std::move(on_ok)](std::optional<CtrlResponse> found) mutable {
            if (!found || !found->ok) return done(failure_of("callfind", found));
            if (found->data.find("setting current call") == std::string::npos)
                return done(fail(ErrorKind::not_found, "baresip no longer has call " + id));
            call_command(verb, params, std::move(done), std::move(on_ok));
        });
    }

    void call_command(const std::string& verb, const std::string& params, CommandDone done, std::function<void()> on_ok) {
        if (!connection_) return done(fail(ErrorKind::unavailable, "not connected to baresip"));
        connection_->send(verb, params, [this, self = shared_from_this(), verb, done = std::move(done), on_ok = std::move(on_ok)](std::optional<CtrlResponse> response) {
            if (!response || !response->ok) return done(failure_of(verb, response));
            if (on_ok && !stopping_) on_ok();
            done(CommandReply{});
        });
    }

    CommandOutcome failure_of(const std::string& verb, const std::optional<CtrlResponse>& response) const {
        if (!response)
            return fail(ErrorKind::failed, "baresip gave no answer to '" + verb + "' within " +
                                                               std::to_string(settings_.command_timeout_ms) + " ms");
        auto text = response->data;
        while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
        return fail(ErrorKind::refused, "baresip refused '" + verb + "': " + text);
    }

    // ---- to the core ----

    void report(const Reports& reports) {
        if (stopping_) return;
        for (const auto& report : reports) send_report(report);
    }

    void status(DriverState state, std::string detail) {
        if (stopping_ && state != DriverState::stopped) return;
        last_status_ = {state, detail};
        send_status({state, std::move(detail)});
    }

    const BaresipSettings settings_;
    net::steady_timer retry_timer_;
    net::steady_timer start_timer_;
    std::shared_ptr<ManagedBaresip> process_;
    std::shared_ptr<CtrlConnection> connection_;
    CallTracker tracker_;
    DriverStatus last_status_;
    std::int64_t retry_delay_;
    std::deque<std::function<void()>> queued_;  // agent commands waiting for the one running
    bool busy_ = false;
    bool stopping_ = false;
};

class BaresipDriver final : public drivers::LoopDriver {
public:
    explicit BaresipDriver(BaresipSettings settings) : settings_(std::move(settings)) {}

    std::string_view name() const override { return "baresip"; }

    // Each verified against baresip 1.0.0 on the wire: transfer sends a REFER, DTMF sends
    // RFC 4733 telephone-events in the call's RTP.
    Capabilities capabilities() const override {
        return {Capability::dial,   Capability::answer,   Capability::decline,
                Capability::hangup, Capability::hold,     Capability::resume,
                Capability::transfer, Capability::dtmf};
    }

private:
    std::shared_ptr<drivers::DriverLine> make_line(net::io_context& loop, DriverEvents& events) override {
        return std::make_shared<BaresipLine>(loop, events, settings_);
    }

    BaresipSettings settings_;
};

Result<std::unique_ptr<Driver>> create_baresip(SettingsReader& reader) {
    return make_driver<BaresipDriver>(read_settings(reader));
}

}  // namespace

DriverFactory baresip_driver_factory() {
    return {"baresip", "the baresip softphone, controlled through its ctrl_tcp module", &create_baresip};
}

}  // namespace cti
