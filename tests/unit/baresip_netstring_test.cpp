// Netstring framing of baresip's ctrl_tcp: split, joined, broken and oversized frames.
#include <catch2/catch.hpp>

#include "baresip/netstring.hpp"

using cti::baresip::encode_netstring;
using cti::baresip::NetstringReader;

TEST_CASE("baresip netstring: encoding", "[baresip]") {
    CHECK(encode_netstring("{\"a\":1}") == "7:{\"a\":1},");
    CHECK(encode_netstring("") == "0:,");
}

TEST_CASE("baresip netstring: one frame in one read", "[baresip]") {
    NetstringReader reader;
    reader.feed("5:hello,");
    CHECK(reader.next() == std::optional<std::string>("hello"));
    CHECK_FALSE(reader.next());
    CHECK_FALSE(reader.broken());
}

TEST_CASE("baresip netstring: a frame split over many reads", "[baresip]") {
    NetstringReader reader;
    const std::string frame = "11:hello world,";
    for (std::size_t i = 0; i + 1 < frame.size(); ++i) {
        reader.feed(frame.substr(i, 1));
        CHECK_FALSE(reader.next());
    }
    reader.feed(frame.substr(frame.size() - 1));
    CHECK(reader.next() == std::optional<std::string>("hello world"));
    CHECK_FALSE(reader.broken());
}

TEST_CASE("baresip netstring: several frames in one read, the last one partial", "[baresip]") {
    NetstringReader reader;
    reader.feed("1:a,2:bc,0:,3:de");
    CHECK(reader.next() == std::optional<std::string>("a"));
    CHECK(reader.next() == std::optional<std::string>("bc"));
    CHECK(reader.next() == std::optional<std::string>(""));
    CHECK_FALSE(reader.next());
    reader.feed("f,");
    CHECK(reader.next() == std::optional<std::string>("def"));
}

TEST_CASE("baresip netstring: broken frames are reported and stop the stream", "[baresip]") {
    SECTION("a length that is not a number") {
        NetstringReader reader;
        reader.feed("notjson!,");
        CHECK_FALSE(reader.next());
        CHECK(reader.broken());
    }
    SECTION("a missing ',' after the payload") {
        NetstringReader reader;
        reader.feed("3:abcX");
        CHECK_FALSE(reader.next());
        CHECK(reader.broken());
        CHECK(reader.error().find("','") != std::string::npos);
    }
    SECTION("an empty length") {
        NetstringReader reader;
        reader.feed(":abc,");
        CHECK_FALSE(reader.next());
        CHECK(reader.broken());
    }
    SECTION("nothing is read after the break, even a good frame") {
        NetstringReader reader;
        reader.feed("x:,");
        CHECK_FALSE(reader.next());
        reader.feed("1:a,");
        CHECK_FALSE(reader.next());
        CHECK(reader.broken());
    }
}

TEST_CASE("baresip netstring: oversized lengths are refused before the payload arrives", "[baresip]") {
    NetstringReader reader(100);
    SECTION("a length above the limit") {
        reader.feed("101:");
        CHECK_FALSE(reader.next());
        CHECK(reader.broken());
    }
    SECTION("an endless run of digits") {
        reader.feed("99999999999999999999");
        CHECK_FALSE(reader.next());
        CHECK(reader.broken());
    }
    SECTION("the limit itself is fine") {
        reader.feed("100:" + std::string(100, 'x') + ",");
        CHECK(reader.next() == std::optional<std::string>(std::string(100, 'x')));
    }
}
