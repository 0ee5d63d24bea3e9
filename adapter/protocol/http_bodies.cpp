#include "protocol/http_bodies.hpp"

#include <nlohmann/json.hpp>

#include "protocol/messages.hpp"
#include "protocol/received_object.hpp"
#include "protocol/received_values.hpp"
#include "protocol/values.hpp"

namespace cti::protocol {
namespace {

using nlohmann::json;

// A driver's detail comes from the phone system: invalid UTF-8 in it is replaced, never thrown.
std::string dump(const json& body, int indent = -1) {
    return body.dump(indent, ' ', false, json::error_handler_t::replace);
}

}  // namespace

std::string encode_status_body(const StatusReport& report) {
    return dump(json{{"product", product},
                     {"version", report.adapter_version},
                     {"protocol", report.protocol_version},
                     {"epoch", report.epoch},
                     {"uptime_s", report.uptime_s},
                     {"port", report.port},
                     {"driver", to_json(report.driver)},
                     {"clients", report.clients},
                     {"active_calls", report.active_calls},
                     {"last_seq", report.last_seq}});
}

std::string encode_probe_body(std::string_view adapter_version) {
    return dump(json{{"product", product}, {"version", adapter_version}});
}

std::string encode_health_body(std::string_view adapter_version) {
    return dump(json{{"status", "ok"}, {"version", adapter_version}});
}

Result<StatusReport> decode_status_body(std::string_view body) {
    auto status = ReceivedObject::parse(body, "the /status body");
    if (!status) return fail(status.error());
    FirstProblem problem;
    StatusReport report;
    report.adapter_version = problem.take(status->string("version"));
    report.protocol_version = static_cast<int>(problem.take(status->count("protocol", INT32_MAX)));
    report.epoch = problem.take(status->string("epoch"));
    report.uptime_s = problem.take(status->integer("uptime_s"));
    report.port = static_cast<std::uint16_t>(problem.take(status->count("port", UINT16_MAX)));
    report.driver = problem.take(driver_field(*status, "driver"));
    report.clients = problem.take(status->count("clients", SIZE_MAX));
    report.active_calls = problem.take(status->count("active_calls", SIZE_MAX));
    report.last_seq = problem.take(status->count("last_seq"));
    if (problem) return problem.failure();
    return report;
}

Result<HealthReport> decode_health_body(std::string_view body) {
    auto health = ReceivedObject::parse(body, "the /health body");
    if (!health) return fail(health.error());
    FirstProblem problem;
    HealthReport report;
    report.healthy = problem.take(health->string("status")) == "ok";
    report.adapter_version = problem.take(health->string("version"));
    if (problem) return problem.failure();
    return report;
}

Result<std::string> pretty_printed_body(std::string_view body) {
    try {
        return dump(json::parse(body), 2);
    } catch (const json::exception& error) {  // syntax errors and numbers out of range
        return fail(ErrorKind::invalid_input, std::string("the body is not valid JSON: ") + error.what());
    }
}

}  // namespace cti::protocol
