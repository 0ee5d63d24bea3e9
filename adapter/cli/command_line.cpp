#include "cli/command_line.hpp"

#include <algorithm>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/adapter_client.hpp"
#include "cli/dial_command.hpp"
#include "cli/running_instance.hpp"
#include "cli/install_config_command.hpp"
#include "cli/machine_config.hpp"
#include "cli/pair_command.hpp"
#include "cli/tls_command.hpp"
#include "config/config.hpp"
#include "doctor/doctor.hpp"
#include "doctor/support_bundle.hpp"
#include "logging/logging.hpp"
#include "native_host/native_host.hpp"
#include "net/listener.hpp"
#include "platform/paths.hpp"
#include "platform/private_files.hpp"
#include "platform/process.hpp"
#include "protocol/client_commands.hpp"
#include "protocol/http_bodies.hpp"
#include "service/adapter_service.hpp"
#include "service/discovery_file.hpp"
#include "version.hpp"

namespace cti {
namespace {

constexpr auto client_timeout = std::chrono::seconds(5);
constexpr auto instance_check_timeout = std::chrono::seconds(2);

const char* exit_codes_help =
    "Exit codes:\n"
    "  0  success\n"
    "  1  the adapter refused the command (its error is printed), or a runtime error\n"
    "  2  bad command-line arguments\n"
    "  3  the config file is invalid (the message names the file and the key)\n"
    "  4  run: no port of the list is free (each port and the reason is printed)\n"
    "  5  status/simulate/dial/pair: no running adapter answered\n"
    "  6  run: an adapter already runs for this user (its pid and port are printed)\n"
    "  7  doctor: at least one check failed\n"
    "  8  dial: the call did not go through (busy, refused, failed: the phone system's reason is printed)\n"
    "install-config exits 3 when a setting is invalid (nothing is written then).\n";

struct CommonOptions {
    std::string config_file;
    std::string machine_config = platform::machine_config_file().string();
    int port = -1;  // -1: from the config
};

void add_config_options(CLI::App* command, CommonOptions& options) {
    command->add_option("-c,--config", options.config_file,
                        "read exactly this config file (default: " + options.machine_config +
                            ", then " + platform::user_config_file().string() + " over it)");
    command->add_option("--machine-config", options.machine_config,
                        "the machine-wide config under the user's (default: " + options.machine_config + ")");
}

void add_common(CLI::App* command, CommonOptions& options) {
    add_config_options(command, options);
    command->add_option("-p,--port", options.port,
                        "use exactly this port (0 = any free port), ignoring port/port_fallbacks")
        ->check(CLI::Range(0, 65535));
}

Config load(const CommonOptions& options, std::span<const DriverFactory> drivers) {
    auto config = or_config_error(options.config_file.empty()
                                      ? load_layered_config(options.machine_config, platform::user_config_file(), drivers)
                                      : load_config(options.config_file, true, drivers));
    if (options.port >= 0) {
        config.port = static_cast<std::uint16_t>(options.port);
        config.port_fallbacks.clear();
    }
    return config;
}

void report_already_running(const InstanceRecord& running, const DiscoveryFile& discovery) {
    std::cerr << "cti-adapter: an adapter already runs for this user: pid " << running.pid
              << " on http://127.0.0.1:" << running.port << "/ (version " << running.version << ", started "
              << running.started << ", from " << discovery.path().string() << ")\n"
              << "Use that one (`cti-adapter status`), or stop it first (`systemctl --user stop cti-adapter`, "
              << "or end pid " << running.pid << ").\n";
}

void report_already_running_elsewhere(const InstanceRecord& running, const DiscoveryFile& discovery) {
    std::cerr << "cti-adapter: an adapter already runs for this user: pid " << running.pid << " on http://127.0.0.1:"
              << running.port << "/ (version " << running.version << "; it holds the port, and its discovery file is "
              << "not " << discovery.path().string() << ": it was started with another XDG_RUNTIME_DIR)\n"
              << "Use that one (`cti-adapter status --port " << running.port << "`), or stop it first (end pid "
              << running.pid << ").\n";
}

void report_no_free_port(const Error& error, const Config& config) {
    std::cerr << "cti-adapter: cannot listen: " << error.message << "\n";  // a line for each port tried
    // With no config file at all there is nothing to edit: name the file to create.
    const auto where = config.layers.empty()
                           ? platform::user_config_file().string() + " (create it; docs/CONFIG.md lists the keys)"
                           : config.source_of("port");
    std::cerr << "Free one of these ports, or set \"port\"/\"port_fallbacks\" in " << where
              << ". `cti-adapter doctor` names the program holding each port.\n";
}

// Tells a second `run`, `doctor` and support where this adapter is. Not fatal: the adapter
// works without the file, only a second instance would not be refused.
void publish(const DiscoveryFile& discovery, std::uint16_t port) {
    const auto published =
        discovery.publish({platform::current_process_id(), port, std::string(adapter_version), utc_timestamp_now()});
    if (!published)
        spdlog::warn("cannot write the discovery file {}: {}", discovery.path().string(), published.error().message);
}

int run_doctor_command(const CommonOptions& options, bool json, const std::string& bundle,
                       const std::string& policy_root, std::span<const DriverFactory> drivers) {
    DoctorOptions doctor{options.config_file, options.machine_config, platform::user_config_file(),
                         DiscoveryFile::default_path()};
    doctor.policy_root = policy_root;
    const auto diagnosis = run_doctor(doctor, drivers);
    if (json) std::cout << diagnosis.report.to_json().dump(2) << "\n";
    else std::cout << diagnosis.report.to_text();
    if (!bundle.empty()) {
        if (auto written = write_support_bundle(bundle, diagnosis); !written) {
            std::cerr << "cti-adapter: " << written.error().message << "\n";
            return exit_code::command_failed;
        }
        (json ? std::cerr : std::cout) << "support bundle written to " << bundle << "\n";
    }
    return diagnosis.report.failed() ? exit_code::doctor_failed : exit_code::ok;
}

int run_adapter(const CommonOptions& options, const std::string& log_level,
                std::span<const DriverFactory> drivers) {
    auto config = load(options, drivers);
    if (!log_level.empty()) config.log.level = log_level;
    // Before the first folder or file is made: the journal, its WAL, the log and the folders
    // that hold them are this user's alone. Only `run`: install-config writes files (the machine
    // config, browser policies) that every user must read.
    platform::create_files_private();
    if (auto logging = setup_logging(config.log); !logging)
        throw ConfigError(config.source + ": key 'log_file': " + logging.error().message);
    // --port N asks for exactly that port: an extra instance for tests and support sessions.
    const bool single_instance = options.port < 0;
    const DiscoveryFile discovery;
    if (single_instance) {
        if (auto running = find_running_instance(discovery, instance_check_timeout)) {
            report_already_running(*running, discovery);
            return exit_code::already_running;
        }
        // This user's adapter on one of our ports is never a reason to take a fallback, even
        // when its discovery file is elsewhere (started with another XDG_RUNTIME_DIR).
        if (auto running = find_own_adapter_on(candidate_ports(config), instance_check_timeout)) {
            report_already_running_elsewhere(*running, discovery);
            return exit_code::already_running;
        }
    }
    auto created = AdapterService::create(config, or_config_error(create_driver(config, drivers)));
    // The adapter's own files refused by the disk are no setting to correct: a runtime error.
    if (!created && created.error().kind == ErrorKind::failed) throw std::runtime_error(created.error().message);
    const auto service_holder = or_config_error(std::move(created));
    auto& service = *service_holder;
    if (const auto port = service.start(); !port) {
        report_no_free_port(port.error(), config);
        return exit_code::no_port;
    }
    // Ready for SIGTERM and published before the line is printed: whoever waits for the line
    // may stop the adapter or read the file at once.
    service.stop_on_signals();
    if (single_instance) publish(discovery, service.port());
    std::cout << "cti-adapter listening on " << service.url() << std::endl;
    service.run(/*handle_signals=*/true);
    if (single_instance) discovery.remove_if_owned_by(platform::current_process_id());
    spdlog::info("stopped");
    return exit_code::ok;
}

// Prints a command's result (decoded by protocol/); returns the exit code.
template <typename Data>
int report(const Result<protocol::CommandResult<Data>>& result, const std::function<void(const Data&)>& on_ok) {
    if (!result) {
        std::cerr << "cti-adapter: " << result.error().message << "\n";
        return exit_code::command_failed;
    }
    if (!result->error) {
        on_ok(result->data);
        return exit_code::ok;
    }
    std::cerr << "cti-adapter: " << result->error->code << ": " << result->error->message << "\n";
    return exit_code::command_failed;
}

std::unique_ptr<AdapterClient> connect(const CommonOptions& options,
                                       std::span<const DriverFactory> drivers) {
    return AdapterClient::connect(candidate_ports(load(options, drivers)), client_timeout);
}

int show_status(const CommonOptions& options, bool json, std::span<const DriverFactory> drivers) {
    auto client = connect(options, drivers);
    const auto body = client->get_body("/status");
    if (json) {
        const auto pretty = protocol::pretty_printed_body(body);
        if (!pretty) throw std::runtime_error("GET /status: " + pretty.error().message);
        std::cout << *pretty << "\n";
        return exit_code::ok;
    }
    const auto status = protocol::decode_status_body(body);
    if (!status) throw std::runtime_error(status.error().message);
    const auto& driver = status->driver;
    std::cout << "cti-adapter " << status->adapter_version << " on http://127.0.0.1:" << status->port << "/\n"
              << "  driver:       " << driver.name << " (" << to_string(driver.status.state)
              << (driver.status.detail.empty() ? "" : ": " + driver.status.detail) << ")\n"
              << "  uptime:       " << status->uptime_s << " s\n"
              << "  clients:      " << status->clients << "\n"
              << "  active calls: " << status->active_calls << "\n";
    for (const auto& call : client->snapshot().calls)
        std::cout << "    " << call.id << "  " << to_string(call.direction) << "  " << to_string(call.state) << "  "
                  << call.from.number << " -> " << call.to.number << "\n";
    return exit_code::ok;
}

int send_simulate(const CommonOptions& options, const protocol::ClientCommand& command,
                  std::span<const DriverFactory> drivers) {
    auto client = connect(options, drivers);
    return report<protocol::StartedCall>(protocol::decode_started_call_result(client->command(command)),
                                         [](const protocol::StartedCall& started) {
                                             if (started.call_id) std::cout << *started.call_id << "\n";
                                         });
}

protocol::ScenarioDocument read_scenario(const std::string& file) {
    auto scenario = protocol::read_scenario_file(file);
    if (!scenario) throw std::runtime_error(scenario.error().message);
    return std::move(*scenario);
}

}  // namespace

int run_command_line(int argc, char** argv, std::span<const DriverFactory> drivers) {
    CLI::App app{"cti-adapter: connects the agent's phone to browser pages over a local WebSocket.",
                 "cti-adapter"};
    app.footer(exit_codes_help);
    app.set_version_flag("-V,--version", "cti-adapter " + std::string(adapter_version));
    app.require_subcommand(1);

    CommonOptions common;
    std::string log_level;
    auto* run = app.add_subcommand("run", "run the adapter in the foreground (prints its page's URL)");
    add_common(run, common);
    run->add_option("--log-level", log_level, "trace, debug, info, warn, error, off")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));

    bool json = false;
    auto* status = app.add_subcommand("status", "show the running adapter's state");
    add_common(status, common);
    status->add_flag("--json", json, "print the /status JSON");

    std::string number;
    auto* dial = app.add_subcommand("dial", "dial a number on the running adapter's phone");
    add_common(dial, common);
    dial->add_option("number", number, "the number to dial, e.g. +14155550123")->required();
    int dial_wait_s = 60;
    dial->add_option("--wait", dial_wait_s,
                     "seconds to wait for the call to connect or fail (0: print the call id and return)")
        ->check(CLI::Range(0, 3600));

    auto* simulate = app.add_subcommand("simulate", "make the running simulator do something");
    simulate->require_subcommand(1);
    std::string name, to, call_id, scenario_file;
    bool internal = false;
    auto* incoming = simulate->add_subcommand("incoming", "an incoming call rings");
    add_common(incoming, common);
    incoming->add_option("number", number, "the caller's number")->required();
    incoming->add_option("--name", name, "the caller's display name");
    incoming->add_option("--to", to, "the called number (default: the simulated line)");
    incoming->add_flag("--internal", internal, "an internal call (from a colleague)");
    auto* scenario = simulate->add_subcommand("scenario", "run a scenario file (docs/scenarios/)");
    add_common(scenario, common);
    scenario->add_option("file", scenario_file, "the scenario JSON file")->required()->check(CLI::ExistingFile);
    std::vector<std::pair<CLI::App*, Injection::Action>> call_events;
    for (const auto& [action_name, action] : protocol::simulated_call_actions) {
        const std::string subcommand(action_name);
        auto* command = simulate->add_subcommand(subcommand, "the far end: " + subcommand);
        add_common(command, common);
        command->add_option("call_id", call_id, "the call's id")->required();
        call_events.emplace_back(command, action);
    }

    std::string bundle_file;
    auto* doctor = app.add_subcommand("doctor", "check this desktop's set-up and say what to fix");
    add_config_options(doctor, common);
    doctor->add_flag("--json", json, "print the report as JSON (shape in docs/TROUBLESHOOTING.md)");
    doctor->add_option("--bundle", bundle_file, "also write a support bundle (JSON, secrets removed) to this .json file")
        ->check([](const std::string& file) { return bundle_name_problem(file); });
    std::string doctor_policy_root = "/";
    doctor->add_option("--policy-root", doctor_policy_root,
                       "look for the browsers' policy folders under this folder instead of / (image builds, tests)");
    auto* tls = app.add_subcommand("tls", "the certificate of wss:// (docs/TLS.md)");
    tls->require_subcommand(1);
    auto* tls_show = tls->add_subcommand("show", "show the certificate: names, expiry, fingerprints");
    auto* tls_renew = tls->add_subcommand("renew", "replace the adapter's own key and certificate");
    for (auto* command : {tls_show, tls_renew}) {
        add_config_options(command, common);
        command->add_flag("--json", json, "print the facts as JSON");
    }
    InstallConfigOptions installing;
    std::string install_file = platform::machine_config_file().string();
    std::string policy_root = installing.policy_root.string();
    auto* install_config = app.add_subcommand(
        "install-config",
        "set the machine-wide config's port, allowed origins and driver, and the browser policies "
        "that pre-approve those origins (for installers)");
    install_config->add_option("--file", install_file, "the machine-wide config file")->capture_default_str();
    install_config->add_option("--port", installing.settings.port, "the first port to listen on (empty: keep)");
    install_config->add_option("--allowed-origins", installing.settings.allowed_origins,
                               "origins allowed to connect, separated by commas (empty: keep)");
    install_config->add_option("--driver", installing.settings.driver, "the phone system driver (empty: keep)");
    install_config->add_flag("--remove", installing.remove,
                             "take away the browser policies it wrote, and delete the file (uninstall)");
    install_config->add_flag("--keep-config", installing.keep_config,
                             "with --remove: take away the browser policies only");
    install_config->add_flag("--no-browser-policies{false}", installing.browser_policies,
                             "write no browser policy (and take away those it wrote before)");
    install_config->add_flag("--no-frame-policy{false}", installing.frame_policy,
                             "leave out LocalNetworkAccessPermissionsPolicyDefaultEnabled (a softphone in a "
                             "cross-origin iframe then needs the parent page's allow=\"local-network-access\")");
    install_config->add_option("--policy-root", policy_root,
                               "write the browser policies under this folder instead of / (image builds, tests)");

    auto* native_host = app.add_subcommand(
        "native-host", "the browser extension's native messaging host (started by the browser)");
    // The browser passes its own arguments: Chrome the caller's origin (and --parent-window on
    // Windows), Firefox the manifest's path and the extension's id. None of them matters here.
    native_host->allow_extras();

    std::string pair_target;
    auto* pair = app.add_subcommand("pair", "list, revoke or preseed the pages paired with the adapter");
    pair->require_subcommand(1);
    auto* pair_list = pair->add_subcommand("list", "the paired pages and the requests waiting on /pair");
    add_common(pair_list, common);
    auto* pair_revoke = pair->add_subcommand("revoke", "revoke a pairing (its open pages are closed)");
    add_common(pair_revoke, common);
    pair_revoke->add_option("target", pair_target, "a pairing's id, or an origin (all of its pairings)")->required();
    auto* pair_new_token = pair->add_subcommand(
        "new-token", "print a fresh token for ORIGIN and the config that preseeds its hash");
    pair_new_token->add_option("origin", pair_target, "the page's origin, e.g. https://acme.my.salesforce.com")
        ->required();
    // Like every command; with a config given, it also says when the origin is not allowed there.
    add_config_options(pair_new_token, common);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        const int code = app.exit(error);
        return code == 0 ? exit_code::ok : exit_code::usage;
    }

    try {
        if (run->parsed()) return run_adapter(common, log_level, drivers);
        if (status->parsed()) return show_status(common, json, drivers);
        if (doctor->parsed()) return run_doctor_command(common, json, bundle_file, doctor_policy_root, drivers);
        if (tls_show->parsed()) return show_tls(load(common, drivers), json);
        if (tls_renew->parsed()) return renew_tls(load(common, drivers), json);
        if (native_host->parsed()) return run_native_host(native_host->remaining());
        if (install_config->parsed()) {
            installing.file = install_file;
            installing.policy_root = policy_root;
            return run_install_config(installing, drivers, std::cout, std::cerr);
        }
        if (dial->parsed())
            return run_dial(*connect(common, drivers), {number, std::chrono::seconds(dial_wait_s)}, std::cout,
                            std::cerr);
        if (incoming->parsed())
            return send_simulate(common, protocol::SimulateIncomingCommand{{number, name}, to, internal}, drivers);
        if (scenario->parsed())
            return send_simulate(common, protocol::SimulateScenarioCommand{read_scenario(scenario_file)}, drivers);
        if (pair_new_token->parsed()) {
            std::string problem;
            const auto origin = normalize_origin(pair_target, &problem);
            if (origin.empty()) {
                std::cerr << "cti-adapter: '" << pair_target << "' is not an origin: " << problem << "\n";
                return exit_code::usage;
            }
            print_new_token(origin, std::cout);
            if (!common.config_file.empty()) {
                const auto config = load(common, drivers);
                const auto& allowed = config.allowed_origins;
                if (std::find(allowed.begin(), allowed.end(), origin) == allowed.end())
                    std::cerr << "note: " << origin << " is not in allowed_origins of " << common.config_file
                              << ": add it there too, or the page is refused before its token is read\n";
            }
            return exit_code::ok;
        }
        if (pair_list->parsed())
            return report<protocol::PairingListing>(
                protocol::decode_pairing_list_result(connect(common, drivers)->command(protocol::PairingListCommand{})),
                [](const protocol::PairingListing& listing) { print_pairings(listing, std::cout); });
        if (pair_revoke->parsed()) {
            // An origin is matched as the adapter stores it: "https://Acme.example/" is "https://acme.example".
            const auto origin = pair_target.find("://") == std::string::npos ? std::string() : normalize_origin(pair_target);
            const auto target = origin.empty() ? pair_target : origin;
            return report<protocol::Revocation>(
                protocol::decode_revocation_result(
                    connect(common, drivers)->command(protocol::PairingRevokeCommand{target})),
                [](const protocol::Revocation& revocation) { print_revocation(revocation, std::cout); });
        }
        for (const auto& [command, action] : call_events)
            if (command->parsed())
                return send_simulate(common, protocol::SimulateCallCommand{action, call_id}, drivers);
    } catch (const ConfigError& error) {
        std::cerr << "cti-adapter: configuration error: " << error.what() << "\n";
        return exit_code::config;
    } catch (const AdapterNotRunning& error) {
        std::cerr << "cti-adapter: the adapter is not running (start it with `cti-adapter run`): "
                  << error.what() << "\n";
        return exit_code::not_running;
    } catch (const std::exception& error) {
        std::cerr << "cti-adapter: " << error.what() << "\n";
        return exit_code::command_failed;
    }
    return exit_code::usage;
}

}  // namespace cti
