// The WebSocket frame scanner that checks client masking, fed in random splits; the result
// must not depend on how the bytes were split.
#include "fuzzsplit.h"

#include "http/websocketframescanner.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    WebSocketFrameScanner split;
    FuzzSplit pieces(data, size);
    const uint8_t *piece = nullptr;
    size_t n = 0;
    while (pieces.next(&piece, &n))
        split.feed(QByteArrayView(reinterpret_cast<const char *>(piece), qsizetype(n)));
    WebSocketFrameScanner whole;
    whole.feed(QByteArrayView(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1)));
    if (whole.sawUnmaskedFrame() != split.sawUnmaskedFrame())
        abort();
    return 0;
}
