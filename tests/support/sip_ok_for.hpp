// A test "PBX"'s answer: 200 OK to a SIP request, copying its Via, From, To (with a tag added),
// Call-ID and CSeq lines; Expires: 600, no body.
#pragma once

#include <string>

namespace cti::test {

inline std::string sip_ok_for(const std::string& request) {
    std::string response = "SIP/2.0 200 OK\r\n";
    std::size_t start = 0;
    for (auto end = request.find("\r\n"); end != std::string::npos && end > start;
         start = end + 2, end = request.find("\r\n", start)) {
        const auto line = request.substr(start, end - start);
        for (const char* name : {"Via:", "From:", "Call-ID:", "CSeq:"})
            if (line.rfind(name, 0) == 0) response += line + "\r\n";
        if (line.rfind("To:", 0) == 0) response += line + ";tag=pbx\r\n";
    }
    return response + "Expires: 600\r\nContent-Length: 0\r\n\r\n";
}

}  // namespace cti::test
