#include "callbackreceiver.h"

#include "http/httprequest.h"
#include "http/httpresponder.h"
#include "http/httpresponse.h"

#include <QHostAddress>

using namespace pw::http;

CallbackReceiver::CallbackReceiver() = default;

bool CallbackReceiver::start(quint16 port) {
    m_server = std::make_unique<HttpServer>();
    m_server->router().add(
        "POST", QStringLiteral("/hook"), [this](const HttpRequest &req, HttpResponder res) {
            m_calls.append({req.header("x-pullwatch-signature"), req.header("x-pullwatch-delivery"),
                            req.body});
            const bool fail = m_calls.size() <= m_failFirst;
            res.send(HttpResponse::text(fail ? 503 : 204,
                                        fail ? QByteArray("try later") : QByteArray()));
        });
    if (!m_server->listen(QHostAddress::LocalHost, port))
        return false;
    m_port = m_server->serverPort();
    return true;
}

void CallbackReceiver::stop() {
    m_server.reset();
}

QUrl CallbackReceiver::url() const {
    return QUrl(QStringLiteral("http://127.0.0.1:%1/hook").arg(m_port));
}

QList<CallbackReceiver::Call> CallbackReceiver::accepted() const {
    return m_calls.mid(qMin<qsizetype>(m_failFirst, m_calls.size()));
}
