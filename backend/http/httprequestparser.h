#pragma once

#include "httplimits.h"
#include "httprequest.h"

#include <QString>

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

    State fail(int status, QString message);
    State parseHead(const QByteArray &head);
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
    HttpRequest m_request;
    int m_errorStatus = 0;
    QString m_errorMessage;
};
