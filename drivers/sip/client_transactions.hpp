// The requests this user agent sent and waits on (RFC 3261 17.1): each is retransmitted over
// UDP (T1 doubling up to T2) until a final response or until the transaction timeout, when its
// caller gets nullptr. An INVITE stops both once a provisional response shows it arrived: its
// caller then decides how long the phone may ring.
#pragma once

#include <map>
#include <memory>
#include <string>

#include <boost/asio/steady_timer.hpp>

#include "sip/user_agent.hpp"

namespace cti::sip {

class ClientTransactions {
public:
    explicit ClientTransactions(UserAgent& agent) : agent_(agent) {}

    void send(const SipMessage& request, UserAgent::Done done);
    // A response to one of them; false when it belongs to none (a late retransmission).
    bool on_response(const SipMessage& response);
    // Their answers and timeouts no longer matter (the connection or the driver is gone).
    void clear() { transactions_.clear(); }

private:
    struct Transaction {
        std::string text;
        bool invite = false;
        UserAgent::Done done;
        std::int64_t interval_ms = t1_ms;
        std::unique_ptr<boost::asio::steady_timer> retransmit;
        std::unique_ptr<boost::asio::steady_timer> timeout;
    };

    void retransmit(const std::string& branch);
    void finish(const std::string& branch, const SipMessage* response);

    UserAgent& agent_;
    std::map<std::string, std::unique_ptr<Transaction>> transactions_;  // by Via branch
};

}  // namespace cti::sip
