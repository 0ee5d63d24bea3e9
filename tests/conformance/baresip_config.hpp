// The headless baresip 1.0.0 set-up the conformance peers run, as verified on loopback: no
// stdio.so (stdin is not a terminal), no sound card (aubridge as a silent player, ausine as
// the source), the account and menu modules. A peer appends what else it needs (ctrl_tcp).
#pragma once

#include <string>

namespace cti::test {

inline std::string headless_baresip_config(const std::string& sip_listen) {
    return "poll_method epoll\n"
           "sip_listen " + sip_listen + "\n"
           "net_interface 127.0.0.1\n"
           "call_local_timeout 120\n"
           "audio_player aubridge,nil\n"
           "audio_alert aubridge,nil\n"
           "audio_source ausine,440\n"
           "ausrc_srate 48000\n"
           "ausrc_channels 2\n"
           "audio_level no\n"
           "rtcp_mux no\n"
           "rtp_stats no\n"
           "module_path /usr/lib/baresip/modules\n"
           "module g711.so\n"
           "module ausine.so\n"
           "module aubridge.so\n"
           "module_tmp account.so\n"
           "module_app menu.so\n";
}

}  // namespace cti::test
