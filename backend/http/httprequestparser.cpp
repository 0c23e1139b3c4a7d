#include "httprequestparser.h"

#include <utility>

namespace pw::http {

namespace {

// RFC 9110 §5.6.2: token characters.
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c && QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (char c : text)
        if (!isTokenChar(c))
            return false;
    return true;
}

bool isDigits(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 18)
        return false;
    for (char c : text)
        if (c < '0' || c > '9')
            return false;
    return true;
}

bool isHexDigit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

QByteArrayView trimmed(QByteArrayView v)
{
    while (!v.isEmpty() && (v.front() == ' ' || v.front() == '\t'))
        v = v.sliced(1);
    while (!v.isEmpty() && (v.back() == ' ' || v.back() == '\t'))
        v.chop(1);
    return v;
}

} // namespace

void HttpRequestParser::reset()
{
    m_phase = Phase::Head;
    m_started = false;
    m_expectContinue = false;
    m_headReported = false;
    m_chunked = false;
    m_remaining = 0;
    m_trailerBytes = 0;
    m_scanned = 0;
    m_lineStart = 0;
    m_authority.clear();
    m_request = HttpRequest();
    m_errorStatus = 0;
    m_errorMessage.clear();
}

HttpRequest HttpRequestParser::takeRequest()
{
    HttpRequest r = std::move(m_request);
    reset();
    return r;
}

HttpRequestParser::State HttpRequestParser::fail(int status, QString message)
{
    m_errorStatus = status;
    m_errorMessage = std::move(message);
    return State::Error;
}

bool HttpRequestParser::parseRequestLine(QByteArrayView line)
{
    const qsizetype sp1 = line.indexOf(' ');
    const qsizetype sp2 = line.lastIndexOf(' ');
    if (sp1 <= 0 || sp2 <= sp1 + 1)
        return false;
    const QByteArrayView method = line.first(sp1);
    QByteArrayView target = line.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = line.sliced(sp2 + 1);
    if (!isToken(method) || version.size() != 8 || !version.startsWith("HTTP/1."))
        return false;
    const char minor = version.back();
    if (minor != '0' && minor != '1')
        return false;
    for (char c : target)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
            return false;
    // RFC 9112 §3.2.2: absolute-form is accepted; its authority stands for the Host header
    // (checkHost()) and its path and query are used.
    if (target.startsWith("http://") || target.startsWith("https://")) {
        const qsizetype authorityAt = target.indexOf("//") + 2;
        const qsizetype slash = target.indexOf('/', authorityAt);
        const qsizetype end = slash < 0 ? target.size() : slash;
        m_authority = target.sliced(authorityAt, end - authorityAt).toByteArray();
        // RFC 9110 §4.2.4: userinfo in an http(s) URI is an error; an empty authority is one.
        if (m_authority.isEmpty() || m_authority.contains('@') || m_authority.contains('?')
            || m_authority.contains('#'))
            return false;
        target = slash < 0 ? QByteArrayView("/") : target.sliced(slash);
    }
    if (!target.startsWith('/') && target != "*")
        return false;
    m_request.method = method.toByteArray();
    m_request.target = target.toByteArray();
    m_request.minorVersion = minor - '0';
    const qsizetype question = target.indexOf('?');
    QByteArrayView path = question < 0 ? target : target.first(question);
    const qsizetype hash = path.indexOf('#');
    if (hash >= 0)
        path = path.first(hash);
    m_request.rawPath = path.toByteArray();
    if (question >= 0) {
        QByteArrayView query = target.sliced(question + 1);
        const qsizetype qhash = query.indexOf('#');
        m_request.rawQuery = (qhash < 0 ? query : query.first(qhash)).toByteArray();
    }
    return true;
}

HttpRequestParser::State HttpRequestParser::parseHead(const QByteArray &head)
{
    const QList<QByteArray> lines = head.split('\n');
    QByteArrayView requestLine = lines.first();
    if (requestLine.endsWith('\r'))
        requestLine.chop(1);
    if (requestLine.size() > m_limits.maxUrlBytes + 32)
        return fail(414, QStringLiteral("request URL is longer than %1 bytes").arg(m_limits.maxUrlBytes));
    if (!parseRequestLine(requestLine)) {
        if (requestLine.endsWith("HTTP/2.0") || requestLine.endsWith("HTTP/3"))
            return fail(505, QStringLiteral("only HTTP/1.0 and HTTP/1.1 are supported"));
        return fail(400, QStringLiteral("malformed request line"));
    }
    if (m_request.target.size() > m_limits.maxUrlBytes)
        return fail(414, QStringLiteral("request URL is longer than %1 bytes").arg(m_limits.maxUrlBytes));

    QByteArray contentLength;
    QByteArray transferEncoding;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        QByteArrayView line = lines[i];
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty())
            continue;
        if (line.front() == ' ' || line.front() == '\t')
            return fail(400, QStringLiteral("obsolete header line folding is not allowed"));
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.first(colon)))
            return fail(400, QStringLiteral("malformed header line"));
        const QByteArray name = line.first(colon).toByteArray().toLower();
        const QByteArrayView value = trimmed(line.sliced(colon + 1));
        for (char c : value)
            if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f)
                return fail(400, QStringLiteral("header %1 has a control character")
                                     .arg(QString::fromLatin1(name)));
        if (name == "content-length") {
            if (!isDigits(value) || (!contentLength.isNull() && contentLength != value))
                return fail(400, QStringLiteral("Content-Length must be one non-negative number"));
            contentLength = value.toByteArray();
        } else if (name == "transfer-encoding") {
            // RFC 9112 §6.1: several lines form one list; each coding counts.
            if (!transferEncoding.isNull())
                transferEncoding += ',';
            transferEncoding += value.toByteArray().toLower();
        }
        m_request.headers.append({name, value.toByteArray()});
    }
    if (const State s = checkHost(); s == State::Error)
        return s;

    const QByteArray connection = m_request.header("connection").toLower();
    m_request.keepAlive = m_request.minorVersion == 1 ? !connection.contains("close")
                                                      : connection.contains("keep-alive");
    if (m_request.isWebSocketUpgrade())
        m_request.rawHead = head;
    if (const State s = checkFraming(transferEncoding, contentLength); s == State::Error)
        return s;
    m_expectContinue = m_phase != Phase::Done
        && m_request.header("expect").toLower() == "100-continue";
    return State::NeedMore;
}

// RFC 9112 §3.2: an HTTP/1.1 request carries exactly one Host; HTTP/1.0 may omit it. An
// absolute-form target's authority replaces it (§3.2.2), so the Host check sees the host the
// request really names.
HttpRequestParser::State HttpRequestParser::checkHost()
{
    int hosts = 0;
    for (const auto &header : std::as_const(m_request.headers))
        hosts += header.first == "host" ? 1 : 0;
    if (hosts > 1)
        return fail(400, QStringLiteral("exactly one Host header is allowed; %1 were sent").arg(hosts));
    if (hosts == 0 && m_request.minorVersion == 1 && m_authority.isNull())
        return fail(400, QStringLiteral("an HTTP/1.1 request must have a Host header"));
    if (m_authority.isNull())
        return State::NeedMore;
    for (auto &header : m_request.headers)
        if (header.first == "host")
            header.second = m_authority;
    if (hosts == 0)
        m_request.headers.append({QByteArrayLiteral("host"), m_authority});
    return State::NeedMore;
}

HttpRequestParser::State HttpRequestParser::checkFraming(const QByteArray &transferEncoding,
                                                         const QByteArray &contentLength)
{
    // RFC 9112 §6.1: Transfer-Encoding with Content-Length is a smuggling attempt.
    if (!transferEncoding.isNull()) {
        if (!contentLength.isNull())
            return fail(400, QStringLiteral("both Transfer-Encoding and Content-Length were sent"));
        // One coding, chunked: the only one understood, and the one that frames the body.
        if (trimmed(transferEncoding) != "chunked")
            return fail(501, QStringLiteral("Transfer-Encoding must be exactly 'chunked'; "
                                            "other transfer codings are not supported"));
        m_chunked = true;
        m_phase = Phase::ChunkSize;
    } else if (!contentLength.isNull()) {
        m_remaining = contentLength.toLongLong();
        if (m_remaining > m_limits.maxBodyBytes)
            return fail(413, QStringLiteral("request body is larger than %1 bytes")
                                 .arg(m_limits.maxBodyBytes));
        m_phase = m_remaining > 0 ? Phase::Body : Phase::Done;
    } else {
        m_phase = Phase::Done;
    }
    return State::NeedMore;
}

bool HttpRequestParser::takeBody(QByteArray &buffer)
{
    const qint64 take = qMin<qint64>(m_remaining, buffer.size());
    m_request.body.append(buffer.constData(), take);
    buffer.remove(0, take);
    m_remaining -= take;
    return m_remaining == 0;
}

HttpRequestParser::Line HttpRequestParser::findLine(const QByteArray &buffer, qsizetype from,
                                                    qsizetype maxBytes, qsizetype *lf)
{
    *lf = buffer.indexOf('\n', qMax(from, m_scanned));
    if (*lf < 0) {
        m_scanned = buffer.size();
        return buffer.size() - from > maxBytes ? Line::TooLong : Line::NeedMore;
    }
    m_scanned = *lf + 1;
    // RFC 9112 §2.2: a bare LF is not taken as a line end (a peer that did would see other
    // requests in these bytes).
    if (*lf == from || buffer.at(*lf - 1) != '\r')
        return Line::BareLf;
    return *lf + 1 - from > maxBytes ? Line::TooLong : Line::Complete;
}

HttpRequestParser::State HttpRequestParser::readHead(QByteArray &buffer)
{
    if (m_lineStart == 0) {
        // Tolerate empty lines before a request (RFC 9112 §2.2).
        while (buffer.startsWith("\r\n")) {
            buffer.remove(0, 2);
            m_scanned = 0;
        }
        if (buffer == "\r")
            return State::NeedMore;
    }
    const QString urlTooLong =
        QStringLiteral("request URL is longer than %1 bytes").arg(m_limits.maxUrlBytes);
    const QString headTooLarge =
        QStringLiteral("request headers are larger than %1 bytes").arg(m_limits.maxHeaderBytes);
    const qsizetype maxRequestLine = m_limits.maxUrlBytes + 32;
    for (;;) {
        const bool requestLine = m_lineStart == 0;
        qsizetype lf = -1;
        const Line line = findLine(buffer, m_lineStart,
                                   requestLine ? maxRequestLine : m_limits.maxHeaderBytes, &lf);
        if (line == Line::BareLf)
            return fail(400, QStringLiteral("request lines must end with CRLF; a bare LF was sent"));
        if (line == Line::TooLong)
            return requestLine ? fail(414, urlTooLong) : fail(431, headTooLarge);
        if (line == Line::NeedMore)
            return buffer.size() > m_limits.maxHeaderBytes ? fail(431, headTooLarge)
                                                           : State::NeedMore;
        if (lf + 1 > m_limits.maxHeaderBytes)
            return fail(431, headTooLarge);
        const bool empty = lf - 1 == m_lineStart;
        m_lineStart = lf + 1;
        if (empty && !requestLine)
            break;
    }
    const QByteArray head = buffer.first(m_lineStart);
    buffer.remove(0, m_lineStart);
    m_lineStart = 0;
    m_scanned = 0;
    return parseHead(head);
}

HttpRequestParser::State HttpRequestParser::readChunkSize(QByteArray &buffer)
{
    qsizetype lf = -1;
    const Line line = findLine(buffer, 0, 1024, &lf);
    if (line == Line::NeedMore)
        return State::NeedMore;
    if (line != Line::Complete)
        return fail(400, QStringLiteral("malformed chunk size line"));
    // RFC 9112 §7.1: chunk-size = 1*HEXDIG, then optional extensions after BWS ";".
    const QByteArrayView text = QByteArrayView(buffer).first(lf - 1);
    qsizetype digits = 0;
    while (digits < text.size() && isHexDigit(text.at(digits)))
        ++digits;
    const QByteArrayView afterDigits = text.sliced(digits);
    const QByteArrayView rest = trimmed(afterDigits);
    if (digits == 0 || digits > 15 || (!afterDigits.isEmpty() && !rest.startsWith(';')))
        return fail(400, QStringLiteral("malformed chunk size: hexadecimal digits expected"));
    for (char c : rest)
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f)
            return fail(400, QStringLiteral("chunk extension has a control character"));
    const qint64 size = text.first(digits).toByteArray().toLongLong(nullptr, 16);
    buffer.remove(0, lf + 1);
    m_scanned = 0;
    if (m_request.body.size() + size > m_limits.maxBodyBytes)
        return fail(413, QStringLiteral("request body is larger than %1 bytes")
                             .arg(m_limits.maxBodyBytes));
    m_remaining = size;
    m_phase = size == 0 ? Phase::Trailer : Phase::ChunkData;
    return State::Complete; // this step is done
}

HttpRequestParser::State HttpRequestParser::readTrailer(QByteArray &buffer)
{
    const QString tooLarge =
        QStringLiteral("request trailers are larger than %1 bytes").arg(m_limits.maxHeaderBytes);
    qsizetype lf = -1;
    const Line line = findLine(buffer, 0, m_limits.maxHeaderBytes - m_trailerBytes, &lf);
    if (line == Line::NeedMore)
        return State::NeedMore;
    if (line == Line::BareLf)
        return fail(400, QStringLiteral("trailer lines must end with CRLF; a bare LF was sent"));
    if (line == Line::TooLong)
        return fail(431, tooLarge);
    m_trailerBytes += int(lf) + 1;
    buffer.remove(0, lf + 1);
    m_scanned = 0;
    if (lf == 1)
        m_phase = Phase::Done;
    return State::Complete;
}

HttpRequestParser::State HttpRequestParser::feed(QByteArray &buffer)
{
    if (!buffer.isEmpty())
        m_started = true;
    for (;;) {
        switch (m_phase) {
        case Phase::Head: {
            const State s = readHead(buffer);
            if (s != State::NeedMore || m_phase == Phase::Head)
                return s;
            if (m_phase != Phase::Done && !m_headReported) {
                m_headReported = true;
                return State::HeadComplete;
            }
            break;
        }
        case Phase::Body:
            if (!takeBody(buffer))
                return State::NeedMore;
            m_phase = Phase::Done;
            break;
        case Phase::ChunkSize:
            if (const State s = readChunkSize(buffer); s != State::Complete)
                return s;
            break;
        case Phase::ChunkData:
            if (!takeBody(buffer))
                return State::NeedMore;
            m_phase = Phase::ChunkDataEnd;
            break;
        case Phase::ChunkDataEnd:
            if (buffer.size() < 2)
                return State::NeedMore;
            if (!buffer.startsWith("\r\n"))
                return fail(400, QStringLiteral("chunk data is not followed by CRLF"));
            buffer.remove(0, 2);
            m_phase = Phase::ChunkSize;
            break;
        case Phase::Trailer:
            if (const State s = readTrailer(buffer); s != State::Complete)
                return s;
            break;
        case Phase::Done:
            return State::Complete;
        }
    }
}

} // namespace pw::http
