// What the core does with each change the call table accepts: `call.*` to every page, the log
// line, the screen pop once the caller lookup answers, the call log when it ends and the
// agent's wrap-up after a talked call.
// Not thread-safe: runs on the core's strand.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>

#include "core/agent_state_service.hpp"
#include "core/call_log_service.hpp"
#include "core/call_table.hpp"
#include "core/event_sink.hpp"
#include "screen_pop/caller_lookup.hpp"

namespace cti {

class CallPublisher {
public:
    CallPublisher(boost::asio::io_context& io, boost::asio::any_io_executor strand, const ScreenPopSettings& settings,
                  CallTable& calls, EventSink& events, CallLogService& logs, AgentStateService& agent);

    void publish(const CallChange& change);

private:
    void start_screen_pop(const Call& call);
    void publish_screen_pop(ScreenPop pop);

    boost::asio::any_io_executor strand_;
    CallTable& calls_;
    EventSink& events_;
    CallLogService& logs_;
    AgentStateService& agent_;
    CallerLookup caller_lookup_;
};

}  // namespace cti
