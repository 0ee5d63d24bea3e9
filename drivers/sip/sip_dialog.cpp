#include "sip/sip_dialog.hpp"

#include <algorithm>
#include <utility>

namespace cti::sip {

SipDialog::SipDialog(std::string call_id, std::string local, std::string remote_uri)
    : call_id_(std::move(call_id)),
      local_(std::move(local)),
      local_tag_(random_token(8)),
      remote_uri_(remote_uri),
      remote_target_(std::move(remote_uri)) {}

SipMessage SipDialog::request(const std::string& method, const LocalAgent& agent) {
    if (method == "INVITE") invite_cseq_ = cseq_ + 1;
    return build(method, ++cseq_, agent);
}

SipMessage SipDialog::ack(const LocalAgent& agent) const {
    return build("ACK", invite_cseq_, agent);
}

SipMessage SipDialog::refer(const LocalAgent& agent, const std::string& target_uri,
                            const std::string& referred_by) {
    auto message = request("REFER", agent);
    message.add_header("Refer-To", "<" + target_uri + ">");
    message.add_header("Referred-By", "<" + referred_by + ">");
    return message;
}

void SipDialog::establish(const SipMessage& response) {
    if (established() || response.to_tag().empty()) return;
    remote_tag_ = response.to_tag();
    if (auto target = response.contact_uri(); !target.empty()) remote_target_ = target;
    route_set_ = response.record_routes();
    std::reverse(route_set_.begin(), route_set_.end());  // a UAC reads Record-Route bottom-up
}

SipMessage SipDialog::build(const std::string& method, unsigned long cseq,
                            const LocalAgent& agent) const {
    auto to = "<" + remote_uri_ + ">" + (established() ? ";tag=" + remote_tag_ : "");
    auto message = agent.request(method, remote_target_, local_ + ";tag=" + local_tag_, to,
                                 call_id_, cseq, remote_uri_);
    for (const auto& route : route_set_) message.add_header("Route", route);
    return message;
}

}  // namespace cti::sip
