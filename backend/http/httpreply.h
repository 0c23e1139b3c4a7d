#pragma once

#include "httpresponder.h"

#include <memory>

namespace pw::http {

// A copyable handle on one request's HttpResponder, for handlers that answer later from a
// callback (a cache fetch, a cluster call, a timer): every copy shares the one responder, the
// first answer wins and the others are no-ops, and when the last copy goes without an answer
// the responder answers 500 — so a request is answered exactly once, whatever the handler
// does with its copies. Converts implicitly from the router's HttpResponder, so a handler may
// take either.
class HttpReply {
public:
    HttpReply(HttpResponder &&responder) // NOLINT(google-explicit-constructor): by design
        : m_responder(std::make_shared<HttpResponder>(std::move(responder))) {}

    bool isPending() const { return m_responder->isPending(); }
    void send(HttpResponse response) const { m_responder->send(std::move(response)); }
    HttpStream *startStream(int status, QList<QPair<QByteArray, QByteArray>> headers) const {
        return m_responder->startStream(status, std::move(headers));
    }
    QTcpSocket *upgradeToWebSocket(QWebSocketServer *server) const {
        return m_responder->upgradeToWebSocket(server);
    }
    // The shared responder, for code that takes one (HttpResponder &).
    HttpResponder &responder() const { return *m_responder; }

private:
    std::shared_ptr<HttpResponder> m_responder;
};

} // namespace pw::http
