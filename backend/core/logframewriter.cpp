// The writer of /ws/pod-logs messages (LogFrameWriter); the reader is logframe.cpp.
#include "logframe.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <array>
#include <cstring>

namespace pw::core {

namespace LogFrameWriter {

namespace {

// 1 for the bytes JSON strings cannot hold as they are: controls, '"' and '\\'.
constexpr std::array<unsigned char, 256> kEscape = [] {
    std::array<unsigned char, 256> t{};
    for (int c = 0; c < 0x20; ++c)
        t[size_t(c)] = 1;
    t['"'] = 1;
    t['\\'] = 1;
    return t;
}();

// Writes `utf8` escaped at `d` (room for 6 bytes per input byte) and returns the end.
char *writeEscaped(char *d, QByteArrayView utf8)
{
    static const char hex[] = "0123456789abcdef";
    const char *p = utf8.data();
    const char *end = p + utf8.size();
    const char *run = p; // start of a run of bytes copied as they are
    for (; p != end; ++p) {
        const auto c = static_cast<unsigned char>(*p);
        if (!kEscape[c])
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
    return d + (end - run);
}

} // namespace

void appendEscaped(QByteArray &out, QByteArrayView utf8)
{
    if (utf8.isEmpty())
        return;
    // Room for the worst case (every byte a \u00XX), written through a pointer and cut to
    // what was written.
    const qsizetype start = out.size();
    out.resize(start + utf8.size() * 6);
    char *d = writeEscaped(out.data() + start, utf8);
    out.resize(d - out.constData());
}

void beginLog(QByteArray &out)
{
    out.append("{\"type\":\"log\",\"data\":\"");
}

void appendLine(QByteArray &out, QByteArrayView timestamp, QByteArrayView text)
{
    // This is the log frames' inner loop (bench/RESULTS.md, log frames): one resize for the
    // line's worst case, the bytes written through a pointer, one resize to what was written —
    // no append call per piece.
    const qsizetype start = out.size();
    out.resize(start + (timestamp.size() + text.size()) * 6 + 3);
    char *d = out.data() + start;
    if (!timestamp.isEmpty()) {
        d = writeEscaped(d, timestamp);
        *d++ = ' ';
    }
    d = writeEscaped(d, text);
    *d++ = '\\';
    *d++ = 'n';
    out.resize(d - out.constData());
}

void endLog(QByteArray &out, qint64 seq, int lines)
{
    out.append("\",\"seq\":");
    out.append(QByteArray::number(seq));
    out.append(",\"lines\":");
    out.append(QByteArray::number(lines));
    out.append('}');
}

QString sourceSuffix(const QString &pod, const QString &container)
{
    // Names are DNS-1123 (no character that needs escaping), escaped all the same.
    QByteArray suffix(",\"pod\":\"");
    appendEscaped(suffix, pod.toUtf8());
    suffix.append("\",\"container\":\"");
    appendEscaped(suffix, container.toUtf8());
    suffix.append("\"}");
    return QString::fromUtf8(suffix);
}

QString withSource(QStringView frame, const QString &suffix)
{
    // The shared frame ends with '}': the names go in before it (no re-serialisation).
    QString named;
    named.reserve(frame.size() + suffix.size());
    named.append(frame.chopped(1));
    named.append(suffix);
    return named;
}

namespace {
QString compact(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

void addSource(QJsonObject &o, const QString &pod, const QString &container)
{
    if (pod.isEmpty())
        return;
    o.insert(QStringLiteral("pod"), pod);
    o.insert(QStringLiteral("container"), container);
}
} // namespace

QString stream(const QString &state, const QString &detail, const StreamContext &context)
{
    QJsonObject o;
    const std::pair<QString, const QString &> names[] = {
        {QStringLiteral("namespace"), context.namespaceName},
        {QStringLiteral("pod"), context.pod},
        {QStringLiteral("container"), context.container},
        {QStringLiteral("stream"), context.stream}};
    for (const auto &[key, value] : names)
        if (!value.isEmpty())
            o.insert(key, value);
    o.insert(QStringLiteral("type"), QStringLiteral("stream"));
    o.insert(QStringLiteral("state"), state);
    o.insert(QStringLiteral("detail"), detail);
    return compact(o);
}

QString gap(qint64 missed, const QString &pod, const QString &container)
{
    QJsonObject o{{QStringLiteral("type"), QStringLiteral("gap")},
                  {QStringLiteral("missed"), missed}};
    addSource(o, pod, container);
    return compact(o);
}

QString restarted(qint64 seq, const QString &detail, const QString &pod, const QString &container)
{
    // Older clients read the gap; "restarted" and "seq" tell a client to forget its line
    // numbers and take the next frame's, which starts at `seq`.
    QJsonObject o{{QStringLiteral("type"), QStringLiteral("gap")},
                  {QStringLiteral("missed"), 0},
                  {QStringLiteral("restarted"), true},
                  {QStringLiteral("seq"), seq},
                  {QStringLiteral("detail"), detail}};
    addSource(o, pod, container);
    return compact(o);
}

} // namespace LogFrameWriter

} // namespace pw::core
