#pragma once

#include "httplimits.h"
#include "httprequest.h"

#include <QString>

namespace pw::http {

// Incremental HTTP/1.x request parser with the server's limits. Feed it the bytes read so
// far; it consumes what it has parsed from the front of the buffer.
class HttpRequestParser
{
public:
    enum class State { NeedMore, HeadComplete, Complete, Error };

    explicit HttpRequestParser(const HttpLimits &limits) : m_limits(limits) {}

    // Advances as far as the buffer allows. HeadComplete is returned once per request, when
    // the head is parsed and a body is still expected (for `Expect: 100-continue`).
    State feed(QByteArray &buffer);
    HttpRequest takeRequest();
    void reset();

    // Between requests: nothing of the next request has arrived yet.
    bool isIdle() const { return m_phase == Phase::Head && !m_started; }
    bool expectsContinue() const { return m_expectContinue; }
    int errorStatus() const { return m_errorStatus; }
    const QString &errorMessage() const { return m_errorMessage; }

private:
    enum class Phase { Head, Body, ChunkSize, ChunkData, ChunkDataEnd, Trailer, Done };

    enum class Line { Complete, NeedMore, BareLf, TooLong };

    State fail(int status, QString message);
    // Finds the CRLF ending the line at the front of `buffer` (position of its LF in *lf),
    // searching only bytes not searched before, so a line that trickles in costs linear time.
    Line findLine(const QByteArray &buffer, qsizetype from, qsizetype maxBytes, qsizetype *lf);
    State readHead(QByteArray &buffer);
    State readChunkSize(QByteArray &buffer);
    State readTrailer(QByteArray &buffer);
    State parseHead(const QByteArray &head);
    State checkFraming(const QByteArray &transferEncoding, const QByteArray &contentLength);
    State checkHost();
    bool parseRequestLine(QByteArrayView line);
    // Moves up to m_remaining body bytes out of `buffer`; true once they have all arrived.
    bool takeBody(QByteArray &buffer);

    const HttpLimits &m_limits;
    Phase m_phase = Phase::Head;
    bool m_started = false;
    bool m_expectContinue = false;
    bool m_headReported = false;
    bool m_chunked = false;
    qint64 m_remaining = 0;
    int m_trailerBytes = 0;
    qsizetype m_scanned = 0;   // bytes at the buffer's front already searched for a LF
    qsizetype m_lineStart = 0; // where the head's current line begins
    QByteArray m_authority;    // of an absolute-form request-target
    HttpRequest m_request;
    int m_errorStatus = 0;
    QString m_errorMessage;
};

} // namespace pw::http
