#include "logframe.h"

#include <cstring>

namespace LogFrameWriter {

void appendEscaped(QByteArray &out, QByteArrayView utf8)
{
    static const char hex[] = "0123456789abcdef";
    // Room for the worst case (every byte a \u00XX), written through a pointer and cut to
    // what was written: no append call per run (this is the log frames' inner loop).
    if (utf8.isEmpty())
        return;
    const qsizetype start = out.size();
    out.resize(start + utf8.size() * 6);
    char *d = out.data() + start;
    const char *p = utf8.data();
    const char *end = p + utf8.size();
    const char *run = p; // start of a run of bytes copied as they are
    for (; p != end; ++p) {
        const auto c = static_cast<unsigned char>(*p);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        std::memcpy(d, run, size_t(p - run));
        d += p - run;
        run = p + 1;
        *d++ = '\\';
        switch (c) {
        case '"': *d++ = '"'; break;
        case '\\': *d++ = '\\'; break;
        case '\n': *d++ = 'n'; break;
        case '\r': *d++ = 'r'; break;
        case '\t': *d++ = 't'; break;
        default:
            *d++ = 'u';
            *d++ = '0';
            *d++ = '0';
            *d++ = hex[c >> 4];
            *d++ = hex[c & 15];
        }
    }
    std::memcpy(d, run, size_t(end - run));
    d += end - run;
    out.resize(d - out.constData());
}

} // namespace LogFrameWriter
