// The tapi driver: watches one TAPI-style line through the emulated provider's socket.
//
// Everything runs on a strand of the adapter's loop (TapiLine): the connection, the reconnect
// timer, the LINECALLSTATE -> call report mapping and the bookkeeping of pending operations.
// Commands from the core run there at once, and a provider's message reaches the core from the
// read's own handler, with no thread in between. Every handler holds the line, so none outlives
// what it touches.
#include "tapi/tapi_driver.hpp"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <utility>
#include <variant>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include "loop/driver_line.hpp"
#include "loop/loop_driver.hpp"
#include "tapi/line_call_mapper.hpp"
#include "tapi/provider_messages.hpp"

namespace cti {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace tapi;

constexpr std::size_t max_message_bytes = 64 * 1024;

struct TapiSettings {
    std::string host = "127.0.0.1";
    std::int64_t port = 4720;
    std::int64_t reconnect_initial_ms = 100;
    std::int64_t reconnect_max_ms = 5000;
};

// The line on its strand of the adapter's loop.
class TapiLine final : public drivers::DriverLine, public std::enable_shared_from_this<TapiLine> {
public:
    TapiLine(net::io_context& loop, DriverEvents& events, const TapiSettings& settings)
        : DriverLine(loop, events),
          settings_(settings),
          where_(settings_.host + ":" + std::to_string(settings_.port)),
          socket_(strand_),
          reconnect_timer_(strand_),
          backoff_ms_(settings_.reconnect_initial_ms) {}

    void begin() override {
        report_status(DriverState::connecting, "connecting to the TAPI provider at " + where_);
        connect();
    }

    // Everything ends here and now: the handlers of the cancelled operations see stopped_.
    void stop() override {
        stopped_ = true;
        close_socket();
        reconnect_timer_.cancel();
        fail_pending("the tapi driver is stopping");
        report_status(DriverState::stopped, "tapi driver stopped");
    }

    void execute(DriverCommand command, CommandDone done) override { send_operation(command, std::move(done)); }

private:
    // ---- connection ----

    void connect() {
        socket_ = tcp::socket(strand_);
        boost::system::error_code ec;
        auto address = net::ip::make_address(settings_.host, ec);
        if (ec) return connection_failed("'" + settings_.host + "' is not an IP address");
        socket_.async_connect(tcp::endpoint(address, static_cast<std::uint16_t>(settings_.port)),
                              [self = shared_from_this()](boost::system::error_code error) {
                                  if (self->stopped_) return;
                                  if (error) return self->connection_failed(error.message());
                                  self->read_next();  // connected: PROVIDER_INIT comes first
                              });
    }

    void connection_failed(const std::string& reason) {
        close_socket();
        forget_calls();  // `disconnected`: the core ends them driver_lost
        report_status(DriverState::disconnected, "cannot reach the TAPI provider at " + where_ +
                                                     ": " + reason + "; retrying in " +
                                                     std::to_string(backoff_ms_) + " ms");
        schedule_reconnect();
    }

    // The calls are kept while the driver reconnects (`connecting`, not `disconnected`): a
    // provider that is still there lists its calls in PROVIDER_INIT and they keep their ids. If
    // the provider cannot be reached, `disconnected` follows and the core ends them driver_lost.
    void connection_lost(const std::string& reason) {
        close_socket();
        line_ready_ = false;
        fail_pending("the TAPI provider connection was lost");
        report_status(DriverState::connecting,
                      "lost the TAPI provider at " + where_ + ": " + reason + "; reconnecting in " +
                          std::to_string(backoff_ms_) + " ms");
        schedule_reconnect();
    }

    void forget_calls() {
        mapper_.clear();
        refs_.clear();
        handles_.clear();
    }

    // Capped exponential backoff: initial, doubling, up to the maximum, reset once connected.
    void schedule_reconnect() {
        reconnect_timer_.expires_after(std::chrono::milliseconds(backoff_ms_));
        backoff_ms_ = std::min(backoff_ms_ * 2, settings_.reconnect_max_ms);
        reconnect_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
            if (!ec && !self->stopped_) self->connect();
        });
    }

    void close_socket() {
        boost::system::error_code ignored;
        socket_.close(ignored);
        writes_.clear();
        read_buffer_.consume(read_buffer_.size());
    }

    void read_next() {
        net::async_read_until(socket_, read_buffer_, '\n',
                              [self = shared_from_this()](boost::system::error_code ec, std::size_t size) {
                                  if (ec == net::error::operation_aborted || self->stopped_) return;
                                  self->received(ec, size);
                              });
    }

    void received(boost::system::error_code ec, std::size_t size) {
        if (ec == net::error::not_found) return connection_lost("a message longer than 64 KiB");
        if (ec) return was_connected() ? connection_lost(ec.message()) : connection_failed(ec.message());
        std::string line(net::buffers_begin(read_buffer_.data()),
                         net::buffers_begin(read_buffer_.data()) + static_cast<std::ptrdiff_t>(size - 1));
        read_buffer_.consume(size);
        handle_line(line);
        if (socket_.is_open() && !stopped_) read_next();
    }

    bool was_connected() const { return line_ready_; }

    void write(std::string line) {
        line.push_back('\n');
        writes_.push_back(std::move(line));
        if (writes_.size() == 1) write_next();
    }

    void write_next() {
        net::async_write(socket_, net::buffer(writes_.front()),
                         [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                             // On an error the read side notices the loss and reconnects.
                             if (ec || self->stopped_) return;
                             self->writes_.pop_front();
                             if (!self->writes_.empty()) self->write_next();
                         });
    }

    // ---- messages from the provider ----

    void handle_line(const std::string& line) {
        if (line.empty() || line == "\r") return;
        auto parsed = parse_provider_message(line);
        if (!parsed.problem.empty()) return skipped(parsed.problem);
        if (!parsed.message) return;
        std::visit([this](const auto& message) { handle(message); }, *parsed.message);
    }

    void handle(const ProviderInit& init) {
        line_ready_ = true;
        backoff_ms_ = settings_.reconnect_initial_ms;
        ++generation_;
        line_description_ = "line " + init.line.number +
                            (init.line.name.empty() ? "" : " (" + init.line.name + ")");
        end_calls_gone(init);
        report_status(DriverState::connected,
                      "connected to the TAPI provider at " + where_ + ", " + line_description_);
        for (const auto& why : init.skipped) skipped(why);
        for (const auto& change : init.calls) adopt(change);
        provider_instance_ = init.instance;
    }

    // Calls the driver followed before the connection was lost that this provider no longer
    // has; all of them when it is another provider (restarted: its handles mean other calls).
    void end_calls_gone(const ProviderInit& init) {
        const bool same_provider = !init.instance.empty() && init.instance == provider_instance_;
        std::set<std::string> present;
        for (const auto& change : init.calls) present.insert(change.call);
        for (const auto& [handle, ref] : std::map(refs_)) {
            if (same_provider && present.contains(handle)) continue;
            mapper_.forget(handle);
            forget(handle);
            CallReport ended;
            ended.kind = CallReport::Kind::ended;
            ended.ref = ref;
            ended.reason = EndReason::driver_lost;
            send_report(std::move(ended));
        }
    }

    // A call listed in PROVIDER_INIT. One the driver knows takes its current state; a new one
    // (it began while nobody watched) is first introduced as it would have begun.
    void adopt(const LineCallStateChange& change) {
        const bool begins_here = change.state == LineCallState::offering ||
                                 change.state == LineCallState::dialing;
        if (!mapper_.knows(change.call) && !begins_here) {
            auto first = change;
            first.state = change.origin == CallOrigin::outbound ? LineCallState::dialing
                                                                : LineCallState::offering;
            handle(first);
            if (!mapper_.knows(change.call)) return;  // could not be introduced (skipped)
        }
        handle(change);
    }

    void handle(const LineCallStateChange& change) {
        if (!line_ready_) return skipped("LINE_CALLSTATE before PROVIDER_INIT");
        auto result = mapper_.apply(change);
        if (change.state == LineCallState::idle && !result.report)
            if (auto waiting = awaiting_first_state_.extract(change.call); !waiting.empty())
                waiting.mapped()(
                    fail(ErrorKind::failed, "the call ended before it was set up"));
        if (!result.problem.empty()) return skipped(result.problem);
        if (!result.report) return;
        auto report = std::move(*result.report);
        report.ref = ref_for(change.call);
        if (report.kind == CallReport::Kind::ended) forget(change.call);
        send_report(std::move(report));
        if (auto waiting = awaiting_first_state_.extract(change.call); !waiting.empty())
            waiting.mapped()(CommandReply{});
    }

    void handle(const LineReply& reply) {
        auto node = pending_.extract(reply.request_id);
        if (node.empty())
            return skipped("LINE_REPLY for unknown request " + std::to_string(reply.request_id));
        auto& [done, reply_to_page, new_call] = node.mapped();
        if (reply.result == 0 && !new_call.empty() && !mapper_.knows(new_call)) {
            // The core names a dialled call in the result only once it has been reported, and
            // LINE_REPLY comes before the call's first LINE_CALLSTATE: wait for that.
            awaiting_first_state_[new_call] = std::move(done);
            return;
        }
        if (reply.result == 0) return done(std::move(reply_to_page));
        char code[16];
        std::snprintf(code, sizeof code, "0x%08X", reply.result);
        done(fail(ErrorKind::refused, "the TAPI provider refused the operation (LINEERR " +
                                          std::string(code) + "): " + reply.error));
    }

    // Bad input is skipped; the status detail says what, so it shows up in the adapter's log.
    void skipped(const std::string& problem) {
        report_status(last_status_.state,
                      "skipped a TAPI provider message: " + problem.substr(0, 200));
    }

    // ---- operations to the provider ----

    void send_operation(const DriverCommand& command, CommandDone done) {
        if (!line_ready_)
            return done(
                fail(ErrorKind::failed, "not connected to the TAPI provider"));
        LineOperation operation;
        operation.request_id = ++next_request_id_;
        CommandReply reply_to_page;
        using Kind = DriverCommand::Kind;
        using Op = LineOperation::Kind;
        if (command.kind == Kind::dial) {
            operation.kind = Op::make_call;
            operation.call =
                "out-" + std::to_string(generation_) + "-" + std::to_string(operation.request_id);
            operation.dest = command.number;
            remember(operation.call, command.ref);
        } else {
            auto handle = handles_.find(command.ref);
            if (handle == handles_.end())
                return done(fail(ErrorKind::not_found, "the TAPI line has no call '" + command.ref + "'"));
            operation.call = handle->second;
            switch (command.kind) {
                case Kind::answer:
                    operation.kind = Op::answer;
                    break;
                case Kind::decline:
                case Kind::hangup:
                    operation.kind = Op::drop;
                    break;
                case Kind::hold:
                    operation.kind = Op::hold;
                    break;
                case Kind::resume:
                    operation.kind = Op::unhold;
                    break;
                case Kind::transfer:
                    operation.kind = Op::blind_transfer;
                    operation.dest = command.number;
                    break;
                case Kind::dtmf:
                    operation.kind = Op::generate_digits;
                    operation.digits = command.digits;
                    reply_to_page.sent_digits = command.digits;
                    break;
                default:
                    return done(
                        fail(ErrorKind::unsupported, "the tapi driver cannot do this"));
            }
        }
        const auto new_call = operation.kind == Op::make_call ? operation.call : std::string{};
        pending_.emplace(operation.request_id, Pending{std::move(done), std::move(reply_to_page), new_call});
        write(encode(operation));
    }

    void fail_pending(const std::string& why) {
        auto pending = std::move(pending_);
        pending_.clear();
        for (auto& [id, entry] : pending) entry.done(fail(ErrorKind::failed, why));
        auto waiting = std::move(awaiting_first_state_);
        awaiting_first_state_.clear();
        for (auto& [call, done] : waiting) done(fail(ErrorKind::failed, why));
    }

    // ---- call handles (the provider's hCall) <-> refs (the core's names) ----

    std::string ref_for(const std::string& handle) {
        auto it = refs_.find(handle);
        if (it != refs_.end()) return it->second;
        // Inbound calls: the generation keeps refs unique when a restarted provider reuses handles.
        auto ref = "tapi-" + std::to_string(generation_) + "-" + handle;
        remember(handle, ref);
        return ref;
    }

    void remember(const std::string& handle, const std::string& ref) {
        refs_[handle] = ref;
        handles_[ref] = handle;
    }

    void forget(const std::string& handle) {
        auto it = refs_.find(handle);
        if (it == refs_.end()) return;
        handles_.erase(it->second);
        refs_.erase(it);
    }

    void report_status(DriverState state, std::string detail) {
        if (state == last_status_.state && detail == last_status_.detail) return;  // no repeats
        last_status_ = {state, detail};
        send_status({state, std::move(detail)});
    }

    struct Pending {
        CommandDone done;
        CommandReply reply_to_page;  // what the page is told once the provider has done it
        std::string new_call;  // lineMakeCall: the handle of the call it creates
    };

    const TapiSettings settings_;
    const std::string where_;
    tcp::socket socket_;
    net::streambuf read_buffer_{max_message_bytes};
    std::deque<std::string> writes_;
    net::steady_timer reconnect_timer_;
    std::int64_t backoff_ms_;
    bool stopped_ = false;
    bool line_ready_ = false;  // PROVIDER_INIT seen on the current connection
    std::uint64_t generation_ = 0;
    std::uint64_t next_request_id_ = 0;
    std::string line_description_;
    std::string provider_instance_;  // the provider last connected to (PROVIDER_INIT "instance")
    DriverStatus last_status_{DriverState::stopped, ""};
    LineCallMapper mapper_;
    std::map<std::uint64_t, Pending> pending_;
    std::map<std::string, CommandDone> awaiting_first_state_;  // dials answered, not yet reported
    std::map<std::string, std::string> refs_;                  // hCall -> ref
    std::map<std::string, std::string> handles_;               // ref -> hCall
};

class TapiDriver final : public drivers::LoopDriver {
public:
    explicit TapiDriver(TapiSettings settings) : settings_(std::move(settings)) {}

    std::string_view name() const override { return "tapi"; }

    Capabilities capabilities() const override {
        return {Capability::dial, Capability::answer, Capability::decline,  Capability::hangup,
                Capability::hold, Capability::resume, Capability::transfer, Capability::dtmf};
    }

private:
    std::shared_ptr<drivers::DriverLine> make_line(net::io_context& loop, DriverEvents& events) override {
        return std::make_shared<TapiLine>(loop, events, settings_);
    }

    TapiSettings settings_;
};

Result<std::unique_ptr<Driver>> create_tapi(SettingsReader& reader) {
    TapiSettings settings;
    settings.host =
        reader.string("host", settings.host, [](const std::string& text) -> std::string {
            boost::system::error_code ec;
            net::ip::make_address(text, ec);
            return ec ? "expected an IP address such as 127.0.0.1" : "";
        });
    settings.port = reader.integer("port", settings.port, 1, 65535);
    settings.reconnect_initial_ms =
        reader.integer("reconnect_initial_ms", settings.reconnect_initial_ms, 10, 60000);
    settings.reconnect_max_ms =
        reader.integer("reconnect_max_ms", settings.reconnect_max_ms, 100, 600000);
    if (settings.reconnect_max_ms < settings.reconnect_initial_ms)
        reader.reject("reconnect_max_ms", "must not be less than reconnect_initial_ms");
    reader.reject_unknown();
    return make_driver<TapiDriver>(reader.result(std::move(settings)));
}

}  // namespace

DriverFactory tapi_driver_factory() {
    return {"tapi",
            "a TAPI-style line device, through the emulated TAPI provider (cti-tapi-provider)",
            &create_tapi};
}

}  // namespace cti
