// The emulated TAPI provider as a conformance peer: a real cti-tapi-provider process on a free
// loopback port. The far end of calls is played through the provider's control commands, sent
// on a connection of its own; kill() is SIGKILL, restart() starts it again on the same port.
#include "conformance/peer.hpp"

#include <arpa/inet.h>
#include <csignal>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "support/child_process.hpp"

namespace cti::test {
namespace {

using nlohmann::json;

// A control client of the provider: one JSON command per line, waits for its CONTROL_REPLY
// (skipping the LINE_* messages every client receives).
class ProviderControl {
public:
    explicit ProviderControl(std::uint16_t port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
            throw std::runtime_error("cannot connect to the TAPI provider's control port");
    }
    ~ProviderControl() { ::close(fd_); }
    ProviderControl(const ProviderControl&) = delete;
    ProviderControl& operator=(const ProviderControl&) = delete;

    json command(const json& message) {
        auto text = message.dump() + "\n";
        if (::send(fd_, text.data(), text.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(text.size()))
            throw std::runtime_error("cannot send to the TAPI provider");
        for (;;) {
            auto reply = json::parse(read_line());
            if (reply.value("msg", "") != "CONTROL_REPLY") continue;
            if (reply["ok"] != true) throw std::runtime_error("provider refused " + message.dump() + ": " + reply.dump());
            return reply;
        }
    }

private:
    std::string read_line() {
        for (;;) {
            if (auto end = buffer_.find('\n'); end != std::string::npos) {
                auto line = buffer_.substr(0, end);
                buffer_.erase(0, end + 1);
                return line;
            }
            pollfd ready{fd_, POLLIN, 0};
            if (::poll(&ready, 1, 10000) <= 0) throw std::runtime_error("no reply from the TAPI provider");
            char chunk[4096];
            auto n = ::recv(fd_, chunk, sizeof chunk, 0);
            if (n <= 0) throw std::runtime_error("the TAPI provider closed the control connection");
            buffer_.append(chunk, static_cast<std::size_t>(n));
        }
    }

    int fd_ = -1;
    std::string buffer_;
};

class TapiPeer final : public Peer {
public:
    void start() override { launch(0); }

    std::string adapter_config() const override {
        return json{{"driver", "tapi"},
                    {"tapi", {{"port", port_}, {"reconnect_initial_ms", 50}, {"reconnect_max_ms", 400}}}}
            .dump();
    }

    void call_in(const std::string& number, const std::string& name, Caller caller) override {
        json offer{{"control", "offer"}, {"from", number}, {"name", name}};
        if (caller == Caller::hangs_up_after_answer) offer["hangup_after_answer_ms"] = 50;
        const auto handle = control_->command(offer)["hCall"];
        // The provider sends OFFERING before it handles the hangup, on the same connection to
        // the driver, so the driver always sees the call ring first.
        if (caller == Caller::gives_up) control_->command({{"control", "hangup"}, {"call", handle}});
    }

    std::string answering_number() override { return "5559999"; }
    std::string busy_number() override { return "5550000"; }

    void kill() override {
        control_.reset();
        provider_->signal(SIGKILL);
        provider_->wait();
        provider_.reset();
    }

    void restart() override { launch(port_); }

private:
    void launch(std::uint16_t port) {
        provider_ = std::make_unique<ChildProcess>(std::vector<std::string>{
            CTI_TAPI_PROVIDER_EXE, "--port", std::to_string(port), "--busy", busy_number(),
            "--answer-after-ms", "50"});
        auto line = provider_->wait_for_stdout_line("listening on");
        if (!line) throw std::runtime_error("the TAPI provider did not start: " + provider_->err());
        port_ = static_cast<std::uint16_t>(std::stoi(line->substr(line->rfind(':') + 1)));
        control_ = std::make_unique<ProviderControl>(port_);
    }

    std::unique_ptr<ChildProcess> provider_;
    std::unique_ptr<ProviderControl> control_;
    std::uint16_t port_ = 0;
};

}  // namespace

CTI_REGISTER_PEER("tapi", TapiPeer);

}  // namespace cti::test
