#include "support/user_adapter.hpp"

#include <csignal>
#include <regex>

#include <catch2/catch.hpp>
#include <utility>
#include <boost/asio.hpp>

namespace cti::test {

std::uint16_t port_of_listening_line(const std::string& line) {
    std::smatch match;
    if (!std::regex_search(line, match, std::regex(R"(listening on http://127\.0\.0\.1:(\d+)/)"))) return 0;
    return static_cast<std::uint16_t>(std::stoi(match[1]));
}

std::uint16_t unused_loopback_port() {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor probe(io, {boost::asio::ip::address_v4::loopback(), 0});
    return probe.local_endpoint().port();
}

UserAdapter::UserAdapter(const UserHome& home, std::vector<std::string> args) {
    args.insert(args.begin(), {CTI_ADAPTER_EXE, "run"});
    process_ = std::make_unique<ChildProcess>(std::move(args), home.env());
    const auto line = process_->wait_for_stdout_line("listening on");
    INFO("stderr: " << process_->err());
    REQUIRE(line);
    port_ = port_of_listening_line(*line);
    REQUIRE(port_ != 0);
}

UserAdapter::~UserAdapter() {
    if (!stopped_) stop();
}

int UserAdapter::stop() {
    stopped_ = true;
    process_->signal(SIGTERM);
    return process_->wait().value_or(-1);
}

}  // namespace cti::test
