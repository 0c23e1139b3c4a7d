#include "linesplitter.h"

namespace pw::kube {

qsizetype LineSplitter::utf8Boundary(QByteArrayView data, qsizetype max) {
    if (data.size() <= max)
        return data.size();
    qsizetype end = max;
    // Step back over continuation bytes (10xxxxxx) to the start of the cut character.
    while (end > 0 && (uchar(data[end]) & 0xC0) == 0x80)
        --end;
    return end;
}

void LineSplitter::reset() {
    m_partial.clear();
    m_skipping = false;
}

void LineSplitter::feed(QByteArrayView data, QList<Line> *out) {
    each(data, [out](QByteArrayView line, bool truncated) {
        out->append({line.toByteArray(), truncated});
    });
}

} // namespace pw::kube
