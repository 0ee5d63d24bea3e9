// Text from outside on its way into a log line (an Origin header, a pairing name, a number):
// whatever the bytes, what `printable`, `masked` and `masked_text` return must not be able to
// forge a line, and what is masked must not show more than 4 digits in a row.
// The first byte picks printable's length limit; the rest is the text.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "logging/logging.hpp"

namespace {

constexpr std::string_view forbidden_sequences[] = {
    "\xe2\x80\xa8", "\xe2\x80\xa9",                                                   // U+2028, U+2029
    "\xe2\x80\xaa", "\xe2\x80\xab", "\xe2\x80\xac", "\xe2\x80\xad", "\xe2\x80\xae",   // U+202A-U+202E
    "\xe2\x81\xa6", "\xe2\x81\xa7", "\xe2\x81\xa8", "\xe2\x81\xa9",                   // U+2066-U+2069
};

void require(bool condition) {
    if (!condition) std::abort();
}

void require_cannot_forge_a_line(const std::string& text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        require(byte >= 0x20 && byte != 0x7f);
        // U+0080-U+009F are C2 80 to C2 9F in UTF-8.
        if (byte == 0xc2 && i + 1 < text.size()) require(static_cast<unsigned char>(text[i + 1]) > 0x9f);
    }
    for (auto sequence : forbidden_sequences) require(text.find(sequence) == std::string::npos);
    // The JSON encoder refuses anything that is not UTF-8 (a stray 0x9B among it): an
    // independent check on the sanitiser's own decoding.
    try {
        (void)nlohmann::json(text).dump();
    } catch (const nlohmann::json::type_error&) {
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t limit = data[0];
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);

    const auto shown = cti::printable(text, limit);
    require_cannot_forge_a_line(shown);
    require(shown.size() <= limit + 3);
    // What is already printable passes unchanged.
    if (text.size() <= limit) require(cti::printable(shown, limit) == shown);

    const auto number = cti::masked(text);
    require_cannot_forge_a_line(number);
    require(std::count_if(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; }) <= 4);

    // Free text that may quote a number (a driver's detail, a refused scenario's message).
    const auto message = cti::masked_text(text, limit);
    require_cannot_forge_a_line(message);
    require(message.size() <= limit + 3);
    std::size_t digits_in_a_row = 0;
    for (char c : message) {
        digits_in_a_row = c >= '0' && c <= '9' ? digits_in_a_row + 1 : 0;
        require(digits_in_a_row <= 4);
    }
    return 0;
}
