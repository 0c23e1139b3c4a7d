// The HTTP/1.1 request parser, fed in random splits as a connection would feed it; after
// each request the rest of the buffer is parsed as the next (pipelining). Invariants: the
// parser never keeps more than the limits allow, and a request that completes has a method
// and a target.
#include "fuzzsplit.h"

#include "http/httprequestparser.h"

#include <cstdlib>

using namespace pw::http;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    HttpLimits limits;
    limits.maxHeaderBytes = 2048;
    limits.maxUrlBytes = 512;
    limits.maxBodyBytes = 4096;
    HttpRequestParser parser(limits);
    QByteArray buffer;
    FuzzSplit split(data, size);
    const uint8_t *piece = nullptr;
    size_t n = 0;
    while (split.next(&piece, &n)) {
        buffer.append(reinterpret_cast<const char *>(piece), qsizetype(n));
        for (;;) {
            const auto state = parser.feed(buffer);
            if (state == HttpRequestParser::State::Error) {
                if (parser.errorStatus() < 400 || parser.errorStatus() > 505
                    || parser.errorMessage().isEmpty())
                    abort();
                return 0;
            }
            if (state == HttpRequestParser::State::HeadComplete)
                continue;
            if (state == HttpRequestParser::State::NeedMore)
                break;
            const HttpRequest request = parser.takeRequest();
            if (request.method.isEmpty() || request.target.isEmpty()
                || request.body.size() > limits.maxBodyBytes
                || (request.minorVersion == 1 && request.header("host").isNull()))
                abort();
            (void)request.path();
            (void)request.queryItems();
        }
        // What the parser holds back for an unfinished head stays under the head limit.
        if (parser.isIdle() && buffer.size() > limits.maxHeaderBytes + 64)
            abort();
    }
    return 0;
}
