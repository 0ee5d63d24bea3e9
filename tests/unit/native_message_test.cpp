// The native-messaging framing of `cti-adapter native-host`: a 4-byte length in the machine's
// byte order, then JSON; a message over the host's bound is read past and reported, never kept.
#include <catch2/catch.hpp>

#include <cstring>
#include <sstream>

#include "native_host/native_message_reader.hpp"
#include "native_host/native_message_writer.hpp"

namespace {

std::string framed(std::string_view body) {
    const auto length = static_cast<std::uint32_t>(body.size());
    std::string bytes(4, '\0');
    std::memcpy(bytes.data(), &length, 4);
    return bytes + std::string(body);
}

}  // namespace

TEST_CASE("native messages arrive whole however the bytes are split", "[native_host]") {
    cti::NativeMessageReader reader;
    const auto stream = framed(R"({"open":{"origin":"https://crm.example.com"}})") + framed(R"({"frame":"x"})");
    std::vector<std::string> got;
    for (char byte : stream) {  // one byte at a time: the worst split a pipe can give
        reader.append(std::string_view(&byte, 1));
        while (auto message = reader.next()) got.push_back(message->text);
    }
    REQUIRE(got == std::vector<std::string>{R"({"open":{"origin":"https://crm.example.com"}})", R"({"frame":"x"})"});
    REQUIRE_FALSE(reader.mid_message());
}

TEST_CASE("a native message over the bound is read past and reported, and the next one still arrives",
          "[native_host]") {
    cti::NativeMessageReader reader(16);
    reader.append(framed(std::string(40, 'a')) + framed("{}"));
    auto first = reader.next();
    REQUIRE(first);
    CHECK(first->too_big);
    CHECK(first->length == 40);
    CHECK(first->text.empty());
    auto second = reader.next();
    REQUIRE(second);
    CHECK_FALSE(second->too_big);
    CHECK(second->text == "{}");
    CHECK_FALSE(reader.next());
}

TEST_CASE("a half-sent native message waits for the rest", "[native_host]") {
    cti::NativeMessageReader reader;
    const auto bytes = framed(R"({"frame":"abc"})");
    reader.append(std::string_view(bytes).substr(0, 6));
    CHECK_FALSE(reader.next());
    CHECK(reader.mid_message());
    reader.append(std::string_view(bytes).substr(6));
    auto message = reader.next();
    REQUIRE(message);
    CHECK(message->text == R"({"frame":"abc"})");
}

TEST_CASE("the host writes length-prefixed JSON and refuses a message over the browsers' limit", "[native_host]") {
    std::ostringstream out;
    cti::NativeMessageWriter writer(out);
    REQUIRE(writer.write({{"open", nlohmann::json::object()}}) == cti::NativeMessageWriter::Written::ok);
    CHECK(out.str() == framed(R"({"open":{}})"));
    const std::string huge(cti::NativeMessageWriter::max_message_bytes, 'x');
    CHECK(writer.write({{"frame", huge}}) == cti::NativeMessageWriter::Written::too_big);
    CHECK(out.str() == framed(R"({"open":{}})"));  // nothing of it was written
}
