#pragma once

#include "http/httpserver.h"

#include <QByteArray>
#include <QList>
#include <QUrl>

// A real HTTP server on a loopback port that receives completion callbacks: it records every
// POST and answers 503 to the first `failFirst` of them, 204 to the rest.
class CallbackReceiver {
public:
    struct Call {
        QByteArray signature; // X-Pullwatch-Signature
        QByteArray delivery;  // X-Pullwatch-Delivery
        QByteArray body;
    };

    CallbackReceiver();
    // Listens on `port` (0: a free one).
    bool start(quint16 port = 0);
    void stop();
    QUrl url() const;
    quint16 port() const { return m_port; }
    void setFailFirst(int n) { m_failFirst = n; }
    const QList<Call> &calls() const { return m_calls; }
    // The calls answered with success.
    QList<Call> accepted() const;
    int attempts() const { return int(m_calls.size()); }

private:
    std::unique_ptr<pw::http::HttpServer> m_server;
    quint16 m_port = 0;
    int m_failFirst = 0;
    QList<Call> m_calls;
};
