#include "sip/client_transactions.hpp"

#include <algorithm>
#include <utility>

namespace cti::sip {

void ClientTransactions::send(const SipMessage& request, UserAgent::Done done) {
    auto transaction = std::make_unique<Transaction>();
    transaction->text = request.to_string();
    transaction->invite = request.method() == "INVITE";
    transaction->done = std::move(done);
    transaction->retransmit = std::make_unique<boost::asio::steady_timer>(agent_.strand());
    transaction->timeout = std::make_unique<boost::asio::steady_timer>(agent_.strand());
    const auto branch = request.branch();
    agent_.send(transaction->text, agent_.registrar());
    // A reliable transport delivers or reports the loss itself (RFC 3261 17.1.1.2).
    if (!agent_.reliable_transport())
        agent_.after(*transaction->retransmit, transaction->interval_ms,
                     [this, branch] { retransmit(branch); });
    agent_.after(*transaction->timeout, agent_.settings().transaction_timeout_ms,
                 [this, branch] { finish(branch, nullptr); });
    transactions_[branch] = std::move(transaction);
}

bool ClientTransactions::on_response(const SipMessage& response) {
    auto it = transactions_.find(response.branch());
    if (it == transactions_.end()) return false;
    if (response.status() >= 200) {
        finish(response.branch(), &response);
        return true;
    }
    if (!it->second->invite) return true;  // provisional: keep waiting
    it->second->retransmit->cancel();
    it->second->timeout->cancel();
    return true;
}

void ClientTransactions::retransmit(const std::string& branch) {
    auto it = transactions_.find(branch);
    if (it == transactions_.end()) return;
    auto& transaction = *it->second;
    agent_.send(transaction.text, agent_.registrar());
    transaction.interval_ms = std::min(transaction.interval_ms * 2, t2_ms);
    agent_.after(*transaction.retransmit, transaction.interval_ms, [this, branch] { retransmit(branch); });
}

void ClientTransactions::finish(const std::string& branch, const SipMessage* response) {
    auto node = transactions_.extract(branch);
    if (node.empty()) return;  // a late retransmitted response
    node.mapped()->done(response);
}

}  // namespace cti::sip
