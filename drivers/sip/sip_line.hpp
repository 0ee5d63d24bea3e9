// The SIP user agent on the adapter's loop: a DriverLine that holds the parts, each one job
// (Registration, DialogSubscription, RingOnlyCalls, ClickToDialCalls, ClientTransactions), and
// wires them together: it opens the transport (the registrar looked up asynchronously), routes
// each message to the part it belongs to, and carries the driver's status.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "loop/driver_line.hpp"
#include "sip/click_to_dial_calls.hpp"
#include "sip/client_transactions.hpp"
#include "sip/credentials.hpp"
#include "sip/dialog_subscription.hpp"
#include "sip/registration.hpp"
#include "sip/ring_only_calls.hpp"
#include "sip/user_agent.hpp"

namespace cti::sip {

class SipLine final : public drivers::DriverLine,
                      public UserAgent,
                      public std::enable_shared_from_this<SipLine> {
public:
    SipLine(boost::asio::io_context& loop, DriverEvents& events, SipSettings settings);

    void begin() override;
    void execute(DriverCommand command, CommandDone done) override;
    void stop() override;

    // UserAgent
    const SipSettings& settings() const override { return settings_; }
    const drivers::Strand& strand() const override { return strand_; }
    const LocalAgent& agent() const override { return agent_; }
    const Endpoint& registrar() const override { return registrar_; }
    bool reliable_transport() const override { return transport_ && transport_->reliable(); }
    Credentials& credentials() override { return credentials_; }
    Backoff& backoff() override { return backoff_; }
    bool registered() const override { return registration_.registered(); }
    DriverState state() const override { return state_; }
    const std::string& status_detail() const override { return status_detail_; }
    void send(const std::string& text, const Endpoint& to) override;
    void send_request(const SipMessage& request, Done done) override;
    void respond(const SipMessage& request, const Endpoint& source, int status,
                 const std::string& reason) override;
    SipMessage new_request(const std::string& method, const std::string& uri, const std::string& to,
                           const std::string& call_id, const std::string& from_tag,
                           unsigned long cseq) const override;
    void after(boost::asio::steady_timer& timer, std::int64_t ms,
               std::function<void()> handler) override;
    void report_call(CallReport report) override { send_report(std::move(report)); }
    void report_status(DriverState state, const std::string& detail) override;

private:
    CommandOutcome carry_out(const DriverCommand& command);

    void open_transport();
    void opened(const boost::asio::ip::address& local);
    void retry_open(const std::string& reason);
    void on_transport_lost(const std::string& reason);
    void on_message(std::string_view text, const Endpoint& source);
    void on_request(const SipMessage& request, const Endpoint& source);
    void on_response(const SipMessage& response);

    void on_registered();
    void on_registration_lost(const std::string& reason);
    void on_dialog_changed(CallReport report);
    CallReport with_line_defaults(CallReport report) const;

    void finish_stopping();

    const SipSettings settings_;  // a copy: the line may outlive the Driver object
    DriverState state_ = DriverState::stopped;
    std::string status_detail_;
    bool stopping_ = false;  // stop() is waiting for the unregistration's answer
    bool stopped_ = false;

    Backoff backoff_;
    Credentials credentials_;
    std::unique_ptr<SipTransport> transport_;
    boost::asio::ip::udp::resolver resolver_;
    Endpoint registrar_;
    LocalAgent agent_;  // Via and Contact, for the transport's current local address

    ClientTransactions transactions_{*this};
    Registration registration_;
    DialogSubscription subscription_;
    RingOnlyCalls ring_only_{*this};
    ClickToDialCalls dial_calls_{*this};

    boost::asio::steady_timer retry_timer_;
    boost::asio::steady_timer stop_timer_;  // how long stop() waits for the unregistration
};

}  // namespace cti::sip
