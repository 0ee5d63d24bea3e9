#include "cli/dial_command.hpp"

#include <ostream>

#include <nlohmann/json.hpp>

#include "cli/adapter_client.hpp"
#include "cli/command_line.hpp"

namespace cti {
namespace {

// An agent-facing sentence for an end reason that means the call did not come about.
std::string describe_failure(const std::string& reason) {
    if (reason == "busy") return "the number is busy";
    if (reason == "rejected") return "the call was refused";
    if (reason == "failed") return "the call could not be set up";
    if (reason == "driver_lost") return "the phone system went away";
    return "the call ended (" + reason + ")";
}

}  // namespace

int run_dial(AdapterClient& client, const DialRequest& request, std::ostream& out, std::ostream& err) {
    const auto result = client.command({{"type", "dial"}, {"to", request.number}});
    if (!result.value("ok", false)) {
        const auto& error = result.contains("error") ? result["error"] : nlohmann::json::object();
        err << "cti-adapter: " << error.value("code", "error") << ": " << error.value("message", "") << "\n";
        return exit_code::command_failed;
    }
    const auto call_id = result.value("data", nlohmann::json::object()).value("call_id", "");
    out << call_id << std::endl;
    if (request.wait.count() == 0 || call_id.empty()) return exit_code::ok;

    const auto deadline = std::chrono::steady_clock::now() + request.wait;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        const auto event = left.count() > 0 ? client.next_event(left) : std::nullopt;
        if (!event) {
            out << "still ringing out after " << request.wait.count() << " s; the call goes on\n";
            return exit_code::ok;
        }
        const auto& call = event->contains("call") ? (*event)["call"] : nlohmann::json::object();
        if (!call.is_object() || call.value("id", "") != call_id) continue;
        const auto name = event->value("name", "");
        if (name == "call.connected") {
            out << "connected\n";
            return exit_code::ok;
        }
        if (name != "call.ended") continue;
        const auto reason = event->value("reason", "");
        // An agent who hangs up before the far end answers ends it `normal`: not a failure.
        if (reason == "normal") {
            out << "ended before it was answered\n";
            return exit_code::ok;
        }
        const auto detail = event->value("detail", "");
        err << "cti-adapter: " << describe_failure(reason) << " (" << reason
            << (detail.empty() ? "" : ": " + detail) << ")\n";
        return exit_code::call_failed;
    }
}

}  // namespace cti
