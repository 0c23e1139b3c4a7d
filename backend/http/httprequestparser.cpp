#include "httprequestparser.h"

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
    // RFC 9112 §3.2.2: absolute-form is accepted; only its path and query are used.
    if (target.startsWith("http://") || target.startsWith("https://")) {
        const qsizetype slash = target.indexOf('/', target.indexOf("//") + 2);
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
            transferEncoding = value.toByteArray().toLower();
        }
        m_request.headers.append({name, value.toByteArray()});
    }

    const QByteArray connection = m_request.header("connection").toLower();
    m_request.keepAlive = m_request.minorVersion == 1 ? !connection.contains("close")
                                                      : connection.contains("keep-alive");
    if (m_request.isWebSocketUpgrade())
        m_request.rawHead = head;

    // RFC 9112 §6.1: Transfer-Encoding with Content-Length is a smuggling attempt.
    if (!transferEncoding.isNull()) {
        if (!contentLength.isNull())
            return fail(400, QStringLiteral("both Transfer-Encoding and Content-Length were sent"));
        if (transferEncoding != "chunked")
            return fail(501, QStringLiteral("only the chunked transfer coding is supported"));
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
    m_expectContinue = m_phase != Phase::Done
        && m_request.header("expect").toLower() == "100-continue";
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

HttpRequestParser::State HttpRequestParser::feed(QByteArray &buffer)
{
    if (!buffer.isEmpty())
        m_started = true;
    for (;;) {
        switch (m_phase) {
        case Phase::Head: {
            // Tolerate empty lines before a request (RFC 9112 §2.2).
            while (buffer.startsWith("\r\n"))
                buffer.remove(0, 2);
            qsizetype end = buffer.indexOf("\r\n\r\n");
            qsizetype skip = 4;
            if (end < 0) {
                end = buffer.indexOf("\n\n");
                skip = 2;
            }
            if (end < 0) {
                const qsizetype firstLineEnd = buffer.indexOf('\n');
                if (firstLineEnd < 0 && buffer.size() > m_limits.maxUrlBytes + 32)
                    return fail(414, QStringLiteral("request URL is longer than %1 bytes")
                                         .arg(m_limits.maxUrlBytes));
                if (buffer.size() > m_limits.maxHeaderBytes)
                    return fail(431, QStringLiteral("request headers are larger than %1 bytes")
                                         .arg(m_limits.maxHeaderBytes));
                return State::NeedMore;
            }
            if (end + skip > m_limits.maxHeaderBytes)
                return fail(431, QStringLiteral("request headers are larger than %1 bytes")
                                     .arg(m_limits.maxHeaderBytes));
            const QByteArray head = buffer.first(end + skip);
            buffer.remove(0, end + skip);
            const State s = parseHead(head);
            if (s == State::Error)
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
        case Phase::ChunkSize: {
            const qsizetype eol = buffer.indexOf("\r\n");
            if (eol < 0)
                return buffer.size() > 1024 ? fail(400, QStringLiteral("malformed chunk size"))
                                            : State::NeedMore;
            QByteArrayView sizeText = QByteArrayView(buffer).first(eol);
            const qsizetype semi = sizeText.indexOf(';');
            if (semi >= 0)
                sizeText = sizeText.first(semi);
            bool ok = false;
            const qint64 size = trimmed(sizeText).toByteArray().toLongLong(&ok, 16);
            if (!ok || size < 0 || trimmed(sizeText).size() > 15)
                return fail(400, QStringLiteral("malformed chunk size"));
            buffer.remove(0, eol + 2);
            if (m_request.body.size() + size > m_limits.maxBodyBytes)
                return fail(413, QStringLiteral("request body is larger than %1 bytes")
                                     .arg(m_limits.maxBodyBytes));
            m_remaining = size;
            m_phase = size == 0 ? Phase::Trailer : Phase::ChunkData;
            break;
        }
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
        case Phase::Trailer: {
            const qsizetype eol = buffer.indexOf("\r\n");
            if (eol < 0)
                return State::NeedMore;
            m_trailerBytes += int(eol) + 2;
            if (m_trailerBytes > m_limits.maxHeaderBytes)
                return fail(431, QStringLiteral("request trailers are too large"));
            buffer.remove(0, eol + 2);
            if (eol == 0)
                m_phase = Phase::Done;
            break;
        }
        case Phase::Done:
            return State::Complete;
        }
    }
}
