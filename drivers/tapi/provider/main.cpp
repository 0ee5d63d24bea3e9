// cti-tapi-provider: an emulated TAPI telephony service provider with one line, for training,
// for building integrations, and for the tapi driver's tests. See docs/drivers/tapi.md.
#include <csignal>
#include <fstream>
#include <iostream>
#include <memory>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "cti/dial_string.hpp"
#include "provider/provider_server.hpp"
#include "tapi/provider_script.hpp"

namespace {

using namespace cti::tapi;
namespace net = boost::asio;

std::string as_dial_string(const std::string& text, const std::string& option) {
    auto number = cti::normalize_dial_string(text);
    if (!number) throw CLI::ValidationError(option, "'" + text + "' is not a dial string");
    return *number;
}

// Runs each step of the script at its time from now; the timers own themselves.
void schedule_script(net::io_context& io, LineEmulator& emulator,
                     const std::vector<ScriptStep>& steps) {
    for (const auto& step : steps) {
        auto timer = std::make_shared<net::steady_timer>(io, std::chrono::milliseconds(step.at_ms));
        timer->async_wait([timer, &emulator, step](boost::system::error_code ec) {
            if (ec) return;
            auto outcome = emulator.control(step.command);
            if (!outcome.ok)
                std::cerr << "script line " << step.line << ": " << outcome.error << std::endl;
        });
    }
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Emulated TAPI line provider (newline-delimited JSON over loopback TCP)"};
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
    std::string line_number = "1001";
    std::string script_path;
    std::vector<std::string> busy, unanswered;
    EmulatorSettings settings;
    app.add_option("--host", host, "address to listen on")->capture_default_str();
    app.add_option("--port", port, "port to listen on; 0 picks a free one")->capture_default_str();
    app.add_option("--line", line_number, "the line's own number")->capture_default_str();
    app.add_option("--line-name", settings.line.name, "the line's display name")
        ->capture_default_str();
    app.add_option("--answer-after-ms", settings.answer_after_ms,
                   "the far end of an outbound call answers after this")
        ->capture_default_str()
        ->check(CLI::Range(0, 3600000));
    app.add_option("--busy", busy, "a number that is busy (repeatable)");
    app.add_option("--unanswered", unanswered,
                   "a number that rings until a control command acts (repeatable)");
    app.add_option("--script", script_path,
                   "a script file of timed far-end actions; its clock starts when the first client "
                   "connects")
        ->check(CLI::ExistingFile);
    CLI11_PARSE(app, argc, argv);

    try {
        settings.line.number = as_dial_string(line_number, "--line");
        for (const auto& number : busy)
            settings.busy_numbers.insert(as_dial_string(number, "--busy"));
        for (const auto& number : unanswered)
            settings.unanswered_numbers.insert(as_dial_string(number, "--unanswered"));
        std::vector<ScriptStep> steps;
        if (!script_path.empty()) {
            std::ifstream file(script_path);
            auto parsed = parse_script(file);
            if (!parsed) {
                std::cerr << "cti-tapi-provider: " << script_path << ": " << parsed.error().message << std::endl;
                return 2;
            }
            steps = std::move(*parsed);
        }

        net::io_context io{1};
        ProviderServer server(io, host, port, settings);
        // The script's clock starts when the first client (normally the driver) connects, so
        // that nothing happens before anyone watches the line.
        server.on_first_client(
            [&io, &server, &steps] { schedule_script(io, server.emulator(), steps); });
        net::signal_set signals(io, SIGINT, SIGTERM);
        signals.async_wait([&io](boost::system::error_code, int) { io.stop(); });
        // Tests and scripts read the port from this line.
        std::cout << "cti-tapi-provider listening on " << host << ":" << server.port() << std::endl;
        io.run();
        return 0;
    } catch (const std::exception& error) {
        std::cerr << "cti-tapi-provider: " << error.what() << std::endl;
        return 1;
    }
}
