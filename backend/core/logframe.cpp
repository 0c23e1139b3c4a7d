// The reader of /ws/pod-logs log messages (LogFrameReader); the writer is logframewriter.cpp.
#include "logframe.h"

#include <QJsonDocument>
#include <QJsonValue>

namespace pw::core {

namespace {

// The longest integer taken directly: 15 digits are exact as a double, which is how
// QJsonDocument hands numbers over (the fallback path), so both paths agree.
constexpr int kMaxDigits = 15;

int hexDigit(char16_t c) {
    if (c >= u'0' && c <= u'9')
        return c - u'0';
    if (c >= u'a' && c <= u'f')
        return c - u'a' + 10;
    if (c >= u'A' && c <= u'F')
        return c - u'A' + 10;
    return -1;
}

// A cursor over one message. Every reader returns false for what it does not take; the
// caller then hands the whole message to QJsonDocument.
class Reader {
public:
    explicit Reader(QStringView text)
        : m_p(text.utf16())
        , m_end(text.utf16() + text.size()) {}

    bool atEnd() {
        skipSpace();
        return m_p == m_end;
    }
    bool take(char16_t c) {
        skipSpace();
        if (m_p == m_end || *m_p != c)
            return false;
        ++m_p;
        return true;
    }
    bool peek(char16_t c) {
        skipSpace();
        return m_p != m_end && *m_p == c;
    }

    // A string without escapes (member names, "type"): the characters between the quotes.
    bool plainString(QStringView *out) {
        if (!take(u'"'))
            return false;
        const char16_t *start = m_p;
        while (m_p != m_end && *m_p != u'"') {
            if (*m_p == u'\\' || *m_p < 0x20)
                return false;
            ++m_p;
        }
        if (m_p == m_end)
            return false;
        *out = QStringView(start, m_p - start);
        ++m_p;
        return true;
    }

    // A string of any content whose value is not needed; escapes are checked all the same so
    // that a message QJsonDocument would reject is not taken here.
    bool skipString() {
        if (!take(u'"'))
            return false;
        while (m_p != m_end) {
            const char16_t c = *m_p;
            if (c == u'"') {
                ++m_p;
                return true;
            }
            if (c < 0x20)
                return false;
            if (c == u'\\') {
                char16_t units[2];
                int n = 0;
                if (!escape(units, &n))
                    return false;
                continue;
            }
            ++m_p;
        }
        return false;
    }

    // A string of any content, its escapes decoded.
    bool string(QString *out) {
        if (!take(u'"'))
            return false;
        out->clear();
        const char16_t *run = m_p; // start of the run not yet copied
        while (m_p != m_end) {
            const char16_t c = *m_p;
            if (c == u'"') {
                out->append(QStringView(run, m_p - run));
                ++m_p;
                return true;
            }
            if (c < 0x20)
                return false;
            if (c != u'\\') {
                ++m_p;
                continue;
            }
            out->append(QStringView(run, m_p - run));
            char16_t units[2];
            int n = 0;
            if (!escape(units, &n))
                return false;
            out->append(QStringView(units, n));
            run = m_p;
        }
        return false;
    }

    // A JSON integer (no fraction, no exponent) of at most kMaxDigits digits.
    bool integer(qint64 *out) {
        skipSpace();
        const bool negative = m_p != m_end && *m_p == u'-';
        if (negative)
            ++m_p;
        const char16_t *start = m_p;
        qint64 value = 0;
        while (m_p != m_end && *m_p >= u'0' && *m_p <= u'9') {
            // Digits past kMaxDigits are counted, not added: the number is refused below,
            // and adding them would overflow.
            if (m_p - start < kMaxDigits)
                value = value * 10 + (*m_p - u'0');
            ++m_p;
        }
        const qsizetype digits = m_p - start;
        if (digits == 0 || digits > kMaxDigits || (digits > 1 && *start == u'0'))
            return false;
        if (m_p != m_end && (*m_p == u'.' || *m_p == u'e' || *m_p == u'E'))
            return false;
        *out = negative ? -value : value;
        return true;
    }

    // The "data" string, decoded and cut into lines in one pass. A line with no escape in it
    // is copied straight from the message; one with escapes is assembled as it goes.
    bool lines(QStringList *out) {
        if (!take(u'"'))
            return false;
        const char16_t *lineStart = m_p; // start of the run not yet copied
        QString built;                   // the line so far, when it held an escape
        bool building = false;
        auto endLine = [&](const char16_t *runEnd) {
            const QStringView run(lineStart, runEnd - lineStart);
            if (!building) {
                out->append(run.toString());
                return;
            }
            built.append(run);
            out->append(std::move(built));
            built = QString();
            building = false;
        };
        while (m_p != m_end) {
            const char16_t c = *m_p;
            if (c >= 0x20 && c != u'"' && c != u'\\') {
                ++m_p;
                continue;
            }
            if (c < 0x20)
                return false; // raw control characters are not JSON
            if (c == u'"') {
                if (building || m_p != lineStart) {
                    // The last line had no "\n"; like the lines before it, it loses one "\r".
                    if (building && m_p == lineStart && built.endsWith(u'\r'))
                        built.chop(1);
                    endLine(m_p);
                }
                ++m_p;
                return true;
            }
            // A backslash. "\n" ends a line, "\r\n" too (the "\r" is dropped).
            if (m_end - m_p >= 2 && m_p[1] == u'n') {
                endLine(m_p);
                m_p += 2;
                lineStart = m_p;
                continue;
            }
            if (m_end - m_p >= 4 && m_p[1] == u'r' && m_p[2] == u'\\' && m_p[3] == u'n') {
                endLine(m_p);
                m_p += 4;
                lineStart = m_p;
                continue;
            }
            built.append(QStringView(lineStart, m_p - lineStart));
            building = true;
            char16_t units[2];
            int n = 0;
            if (!escape(units, &n))
                return false;
            built.append(QStringView(units, n));
            lineStart = m_p;
        }
        return false; // unterminated
    }

private:
    void skipSpace() {
        while (m_p != m_end && (*m_p == u' ' || *m_p == u'\t' || *m_p == u'\n' || *m_p == u'\r'))
            ++m_p;
    }

    bool hex4(char16_t *out) {
        if (m_end - m_p < 4)
            return false;
        int v = 0;
        for (int i = 0; i < 4; ++i) {
            const int d = hexDigit(m_p[i]);
            if (d < 0)
                return false;
            v = v * 16 + d;
        }
        m_p += 4;
        *out = char16_t(v);
        return true;
    }

    // One escape at m_p (a backslash): its UTF-16 code units (two for a surrogate pair).
    // A lone surrogate is left to QJsonDocument.
    bool escape(char16_t units[2], int *n) {
        if (m_end - m_p < 2)
            return false;
        const char16_t e = m_p[1];
        m_p += 2;
        *n = 1;
        switch (e) {
        case u'"':
        case u'\\':
        case u'/':
            units[0] = e;
            return true;
        case u'b':
            units[0] = u'\b';
            return true;
        case u'f':
            units[0] = u'\f';
            return true;
        case u'n':
            units[0] = u'\n';
            return true;
        case u'r':
            units[0] = u'\r';
            return true;
        case u't':
            units[0] = u'\t';
            return true;
        case u'u':
            break;
        default:
            return false;
        }
        if (!hex4(&units[0]))
            return false;
        if (QChar::isLowSurrogate(units[0]))
            return false;
        if (!QChar::isHighSurrogate(units[0]))
            return true;
        if (m_end - m_p < 2 || m_p[0] != u'\\' || m_p[1] != u'u')
            return false;
        m_p += 2;
        if (!hex4(&units[1]) || !QChar::isLowSurrogate(units[1]))
            return false;
        *n = 2;
        return true;
    }

    const char16_t *m_p;
    const char16_t *m_end;
};

} // namespace

bool LogFrameReader::parseLogFrame(QStringView message, LogFrame *frame) {
    Reader r(message);
    if (!r.take(u'{'))
        return false;
    bool haveType = false;
    bool haveData = false;
    bool haveSeq = false;
    bool haveCount = false;
    bool havePod = false;
    bool haveContainer = false;
    frame->lines.clear();
    frame->seq = -1;
    frame->count = -1;
    frame->pod.clear();
    frame->container.clear();
    if (!r.peek(u'}')) {
        do {
            QStringView key;
            if (!r.plainString(&key) || !r.take(u':'))
                return false;
            // A repeated member is left to QJsonDocument, which decides which one counts.
            if (key == u"type") {
                QStringView type;
                if (haveType || !r.plainString(&type) || type != u"log")
                    return false;
                haveType = true;
            } else if (key == u"data") {
                if (haveData || !r.lines(&frame->lines))
                    return false;
                haveData = true;
            } else if (key == u"seq") {
                if (haveSeq || !r.integer(&frame->seq))
                    return false;
                haveSeq = true;
            } else if (key == u"lines") {
                if (haveCount || !r.integer(&frame->count))
                    return false;
                haveCount = true;
            } else if (key == u"pod" || key == u"container") {
                // Merged mode names the source.
                bool &have = key == u"pod" ? havePod : haveContainer;
                if (have || !r.string(key == u"pod" ? &frame->pod : &frame->container))
                    return false;
                have = true;
            } else if (r.peek(u'"')) {
                if (!r.skipString())
                    return false;
            } else {
                qint64 ignored = 0;
                if (!r.integer(&ignored))
                    return false;
            }
        } while (r.take(u','));
    }
    return r.take(u'}') && r.atEnd() && haveType && haveData;
}

QStringList LogFrameReader::splitLines(const QString &data) {
    if (data.isEmpty())
        return {};
    QStringView rest(data);
    if (rest.endsWith(u'\n'))
        rest.chop(1);
    QStringList lines;
    for (QStringView line : rest.tokenize(u'\n')) {
        if (line.endsWith(u'\r'))
            line.chop(1);
        lines.append(line.toString());
    }
    return lines;
}

LogFrameReader::Message LogFrameReader::parse(QStringView message) {
    Message m;
    if (parseLogFrame(message, &m.frame)) {
        m.kind = Kind::Log;
        m.direct = true;
        return m;
    }
    m.frame = {};
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(message.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return m;
    m.object = doc.object();
    if (m.object.value(QStringLiteral("type")).toString() != QStringLiteral("log")) {
        m.kind = Kind::Other;
        return m;
    }
    m.kind = Kind::Log;
    m.frame.lines = splitLines(m.object.value(QStringLiteral("data")).toString());
    m.frame.seq = qint64(m.object.value(QStringLiteral("seq")).toDouble(-1));
    if (m.object.contains(QStringLiteral("lines")))
        m.frame.count = qint64(m.object.value(QStringLiteral("lines")).toDouble());
    m.frame.pod = m.object.value(QStringLiteral("pod")).toString();
    m.frame.container = m.object.value(QStringLiteral("container")).toString();
    m.object = {};
    return m;
}

} // namespace pw::core
