// A page's WebSocket text frame: decoded, its fields read as the command handlers read them,
// and the answer encoded. Nothing a page sends may crash the adapter or make it send invalid JSON.
#include <cstdint>
#include <string_view>

#include "protocol/command_fields.hpp"
#include "protocol/messages.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cti::protocol;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto decoded = decode_command(text);
    if (auto* error = std::get_if<DecodeError>(&decoded)) {
        if (error->frame_level) (void)encode_frame_error(error->code, error->message);
        else (void)encode_error_result(error->id, error->code, error->message);
        return 0;
    }
    const auto& command = std::get<Command>(decoded);
    for (const char* field : {"number", "call_id", "digits", "reason", "state", "log_id", "notes"}) {
        auto value = string_field(command.body, field);
        if (!value) (void)encode_error_result(command.id, "bad_request", value.error().message);
    }
    // The typed readers of the commands that carry more than strings.
    const auto answer = [&](const auto& request) {
        if (!request) (void)encode_error_result(command.id, "bad_request", request.error().message);
    };
    answer(save_log_request(command.body));
    answer(history_request(command.body));
    answer(resume_session_request(command.body));
    (void)encode_result(command.id, command.body);
    return 0;
}
