#include "protocol/received_values.hpp"

namespace cti::protocol {
namespace {

// Every value of each enum the protocol names by its to_string().
constexpr DriverState driver_states[] = {DriverState::connecting, DriverState::connected, DriverState::disconnected,
                                         DriverState::stopped};
constexpr Direction directions[] = {Direction::inbound, Direction::outbound, Direction::internal};
constexpr CallState call_states[] = {CallState::ringing, CallState::dialing, CallState::connected, CallState::held,
                                     CallState::ended};
constexpr EndReason end_reasons[] = {EndReason::normal,  EndReason::missed, EndReason::rejected,
                                     EndReason::busy,    EndReason::failed, EndReason::answered_elsewhere,
                                     EndReason::driver_lost};

}  // namespace

Result<DriverInfo> driver_field(const ReceivedObject& parent, const char* name) {
    auto driver = parent.object(name);
    if (!driver) return fail(driver.error());
    FirstProblem problem;
    DriverInfo info;
    info.name = problem.take(driver->string("name"));
    info.status.state = problem.take(driver->named<DriverState>("status", driver_states));
    info.status.detail = problem.take(driver->string("detail"));
    if (problem) return problem.failure();
    return info;
}

Result<Party> party_field(const ReceivedObject& parent, const char* name) {
    auto party = parent.object(name);
    if (!party) return fail(party.error());
    FirstProblem problem;
    Party read{problem.take(party->string("number")), problem.take(party->string("name"))};
    if (problem) return problem.failure();
    return read;
}

Result<CallSummary> call_summary(const ReceivedObject& call) {
    FirstProblem problem;
    CallSummary summary;
    summary.id = problem.take(call.string("id"));
    summary.direction = problem.take(call.named<Direction>("direction", directions));
    summary.state = problem.take(call.named<CallState>("state", call_states));
    summary.from = problem.take(party_field(call, "from"));
    summary.to = problem.take(party_field(call, "to"));
    if (problem) return problem.failure();
    return summary;
}

Result<EndReason> end_reason_field(const ReceivedObject& parent, const char* name) {
    return parent.named<EndReason>(name, end_reasons);
}

}  // namespace cti::protocol
