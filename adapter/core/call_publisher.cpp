#include "core/call_publisher.hpp"

#include <boost/asio/dispatch.hpp>

#include "logging/logging.hpp"

namespace cti {
namespace {

// " (failed: 404 Not Found)" for the log line of an ended call; the detail is the phone
// system's text, so it is made printable first.
std::string describe_end(const Call& call) {
    if (!call.end_reason) return "";
    std::string text = " (" + std::string(to_string(*call.end_reason));
    if (!call.end_detail.empty()) text += ": " + printable(call.end_detail, 120);
    return text + ")";
}

}  // namespace

CallPublisher::CallPublisher(boost::asio::io_context& io, boost::asio::any_io_executor strand,
                             const ScreenPopSettings& settings, CallTable& calls, EventSink& events,
                             CallLogService& logs, AgentStateService& agent)
    : strand_(std::move(strand)),
      calls_(calls),
      events_(events),
      logs_(logs),
      agent_(agent),
      caller_lookup_(io, settings) {}

void CallPublisher::publish(const CallChange& change) {
    const Call& call = change.call;
    events_.publish(CallEvent{change.kind, call});  // first: the pages' writes start before anything else
    spdlog::info("call {} {} {} {} -> {}{}", call.id, to_string(call.direction), to_string(call.state),
                 masked(call.from.number), masked(call.to.number), describe_end(call));
    switch (change.kind) {
        case CallReport::Kind::ended:
            logs_.log_ended(call);
            agent_.call_ended(call);
            return;
        case CallReport::Kind::offered:
        case CallReport::Kind::dialing:
            logs_.keep_open(call);
            return start_screen_pop(call);
        case CallReport::Kind::connected:
            return logs_.keep_open(call);
        case CallReport::Kind::held:
        case CallReport::Kind::resumed:
            return;
    }
}

// The caller lookup may wait for an HTTP service; call.ringing has gone out already, and the
// screen_pop follows when the lookup answers or times out (at once without an HTTP lookup).
void CallPublisher::start_screen_pop(const Call& call) {
    caller_lookup_.find(call, [this](ScreenPop pop) {
        boost::asio::dispatch(strand_, [this, pop = std::move(pop)]() mutable { publish_screen_pop(std::move(pop)); });
    });
}

void CallPublisher::publish_screen_pop(ScreenPop pop) {
    const auto id = pop.call.id;
    const ScreenPop* kept = calls_.keep_screen_pop(std::move(pop));
    if (!kept) return spdlog::debug("call {} ended before its caller lookup answered: no screen pop", id);
    spdlog::info("call {} screen pop: {} match(es), {}", id, kept->matches.size(), to_string(kept->pop));
    events_.publish(ScreenPopEvent{*kept});
}

}  // namespace cti
