// The pod log reader's framing: the stream cut into lines (with the line cap) in random
// splits, each line's RFC 3339 timestamp parsed. Lines never exceed the cap, and the split
// does not change the lines.
#include "fuzzsplit.h"

#include "kube/kubetimestamp.h"
#include "kube/linesplitter.h"

#include <cstdlib>

using namespace pw::kube;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    constexpr qsizetype kCap = 100;
    LineSplitter pieces(kCap);
    QList<LineSplitter::Line> split;
    FuzzSplit input(data, size);
    const uint8_t *piece = nullptr;
    size_t n = 0;
    while (input.next(&piece, &n))
        pieces.feed(QByteArrayView(reinterpret_cast<const char *>(piece), qsizetype(n)), &split);
    LineSplitter once(kCap);
    QList<LineSplitter::Line> whole;
    once.feed(QByteArrayView(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1)), &whole);
    if (split.size() != whole.size())
        abort();
    for (qsizetype i = 0; i < split.size(); ++i) {
        if (split[i].data != whole[i].data || split[i].truncated != whole[i].truncated)
            abort();
        if (split[i].data.size() > kCap)
            abort();
        const qsizetype space = split[i].data.indexOf(' ');
        const KubeTimestamp ts =
            KubeTimestamp::parse(space < 0 ? QByteArrayView(split[i].data)
                                           : QByteArrayView(split[i].data).first(space));
        if (ts.valid && (ts.nanos < 0 || ts.nanos > 999'999'999))
            abort();
        if (ts.valid)
            (void)ts.secondsString();
    }
    return 0;
}
