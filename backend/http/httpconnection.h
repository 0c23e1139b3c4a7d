#pragma once

#include "httprequestparser.h"
#include "httpresponse.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QTcpSocket;
class QWebSocketServer;

namespace pw::http {

class HttpServer;
class HttpStream;

// One client connection: reads requests one at a time (pipelined ones wait their turn, so
// answers keep their order), hands each to the server, writes the answer, enforces limits
// and timeouts.
class HttpConnection : public QObject
{
    Q_OBJECT
public:
    HttpConnection(QTcpSocket *socket, HttpServer *server);
    ~HttpConnection() override;

    QTcpSocket *socket() const { return m_socket; }
    // Closes the connection; a stream in progress is ended.
    void shutdown();

    // Called through HttpResponder.
    bool isAwaiting(quint64 serial) const;
    void respond(quint64 serial, HttpResponse response);
    void answerUnanswered(quint64 serial);
    HttpStream *beginStream(quint64 serial, int status, QList<QPair<QByteArray, QByteArray>> headers);
    QTcpSocket *upgrade(quint64 serial, QWebSocketServer *server);
    void streamEnded(bool reusable);
    void setRoute(const QString &route) { m_route = route; }

private:
    enum class State { Reading, Awaiting, Streaming, Closing, Draining, Gone };

    void onReadyRead();
    void processBuffer();
    void onTimeout();
    void onDisconnected();
    void fail(int status, const QString &message);
    void writeResponse(const HttpResponse &response, bool keepAlive, bool headOnly);
    void finishExchange(int status, bool keepAlive);
    void armTimer();
    void setDeadline(int ms);
    void setDeadlineAt(qint64 at);
    // Whether the client has left more answers unread than the limit allows.
    bool isBacklogged() const;
    void onBytesWritten();

    QTcpSocket *m_socket;
    HttpServer *m_server;
    HttpRequestParser m_parser;
    QByteArray m_buffer;
    State m_state = State::Reading;
    quint64 m_serial = 0;
    bool m_processing = false;
    // The request being answered.
    QByteArray m_method;
    QString m_route;
    bool m_keepAlive = true;
    bool m_http11 = true;
    QHostAddress m_peer;
    quint16 m_peerPort = 0;
    bool m_tls = false;
    QElapsedTimer m_started;
    QByteArray m_replay; // raw head of an upgrade request
    QPointer<HttpStream> m_stream;
    qint64 m_drained = 0;
    QTimer m_timer;
    // Timeouts are deadlines: answering a request moves the deadline, the timer follows lazily
    // (restarted only when it would fire too late), so a request costs no timer call.
    QElapsedTimer m_clock;
    qint64 m_deadlineAt = -1; // on m_clock; -1 = none (a request is being answered)
    qint64 m_timerAt = -1;    // when m_timer fires, on m_clock
    qint64 m_requestStartAt = -1; // on m_clock: when work on the current request began; -1 = idle
    bool m_paused = false;        // no request is read until the client takes its answers
    QByteArray m_head;        // the answer's head, reused
};

} // namespace pw::http
