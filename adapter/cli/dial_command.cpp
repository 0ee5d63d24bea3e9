#include "cli/dial_command.hpp"

#include <ostream>

#include "cli/adapter_client.hpp"
#include "cli/command_line.hpp"
#include "protocol/client_frames.hpp"

namespace cti {
namespace {

// An agent-facing sentence for an end reason that means the call did not come about.
std::string describe_failure(std::optional<EndReason> reason, std::string_view name) {
    switch (reason.value_or(EndReason::normal)) {
        case EndReason::busy: return "the number is busy";
        case EndReason::rejected: return "the call was refused";
        case EndReason::failed: return "the call could not be set up";
        case EndReason::driver_lost: return "the phone system went away";
        default: return "the call ended (" + std::string(name) + ")";
    }
}

int malformed(const Error& error, std::ostream& err) {
    err << "cti-adapter: " << error.message << "\n";
    return exit_code::command_failed;
}

}  // namespace

int run_dial(AdapterClient& client, const DialRequest& request, std::ostream& out, std::ostream& err) {
    const auto result = protocol::decode_started_call_result(client.command(protocol::DialCommand{request.number}));
    if (!result) return malformed(result.error(), err);
    if (result->error) {
        err << "cti-adapter: " << result->error->code << ": " << result->error->message << "\n";
        return exit_code::command_failed;
    }
    const auto call_id = result->data.call_id.value_or("");
    out << call_id << std::endl;
    if (request.wait.count() == 0 || call_id.empty()) return exit_code::ok;

    const auto deadline = std::chrono::steady_clock::now() + request.wait;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        const auto frame = left.count() > 0 ? client.next_event(left) : std::nullopt;
        if (!frame) {
            out << "still ringing out after " << request.wait.count() << " s; the call goes on\n";
            return exit_code::ok;
        }
        const auto event = protocol::decode_call_event(*frame);
        if (!event) return malformed(event.error(), err);
        if (!*event || (*event)->call.id != call_id) continue;
        if ((*event)->kind == CallReport::Kind::connected) {
            out << "connected\n";
            return exit_code::ok;
        }
        if ((*event)->kind != CallReport::Kind::ended) continue;
        const auto reason = (*event)->reason ? to_string(*(*event)->reason) : std::string_view();
        // An agent who hangs up before the far end answers ends it `normal`: not a failure.
        if ((*event)->reason == EndReason::normal) {
            out << "ended before it was answered\n";
            return exit_code::ok;
        }
        const auto& detail = (*event)->detail;
        err << "cti-adapter: " << describe_failure((*event)->reason, reason) << " (" << reason
            << (detail.empty() ? "" : ": " + detail) << ")\n";
        return exit_code::call_failed;
    }
}

}  // namespace cti
