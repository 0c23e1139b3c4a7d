// The WebSocket frame scanner that checks client masking and frame sizes and finds frame
// boundaries, fed in random splits; the result must not depend on how the bytes were split.
#include "fuzzsplit.h"

#include "http/websocketframescanner.h"

#include <cstdlib>

using namespace pw::http;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    WebSocketFrameScanner split(4096);
    FuzzSplit pieces(data, size);
    const uint8_t *piece = nullptr;
    size_t n = 0;
    while (pieces.next(&piece, &n))
        split.feed(QByteArrayView(reinterpret_cast<const char *>(piece), qsizetype(n)));
    WebSocketFrameScanner whole(4096);
    whole.feed(QByteArrayView(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1)));
    if (whole.verdict() != split.verdict())
        abort();
    // Whole frames end at the same place, inside what was fed.
    if (whole.verdict() == WebSocketFrameScanner::Verdict::Ok
        && (whole.partialBytes() != split.partialBytes() || whole.partialBytes() > qint64(size)))
        abort();
    return 0;
}
