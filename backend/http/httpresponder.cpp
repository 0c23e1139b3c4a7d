#include "httpresponder.h"

#include "httpconnection.h"

#include <utility>

namespace pw::http {

HttpResponder::HttpResponder(HttpConnection *connection, quint64 serial)
    : m_connection(connection)
    , m_serial(serial)
{
}

HttpResponder::HttpResponder(HttpResponder &&other) noexcept
    : m_connection(std::move(other.m_connection))
    , m_serial(other.m_serial)
    , m_extraHeaders(std::move(other.m_extraHeaders))
    , m_observer(std::move(other.m_observer))
{
    other.m_connection.clear();
    other.m_observer = nullptr;
}

HttpResponder &HttpResponder::operator=(HttpResponder &&other) noexcept
{
    if (this != &other) {
        if (isPending()) {
            answered(500);
            m_connection->answerUnanswered(m_serial);
        }
        m_connection = std::move(other.m_connection);
        m_serial = other.m_serial;
        m_extraHeaders = std::move(other.m_extraHeaders);
        m_observer = std::move(other.m_observer);
        other.m_connection.clear();
        other.m_observer = nullptr;
    }
    return *this;
}

HttpResponder::~HttpResponder()
{
    if (isPending()) {
        answered(500);
        m_connection->answerUnanswered(m_serial);
    }
}

bool HttpResponder::isPending() const
{
    return m_connection && m_connection->isAwaiting(m_serial);
}

void HttpResponder::send(HttpResponse response)
{
    if (isPending()) {
        for (auto &[name, value] : m_extraHeaders)
            if (response.header(name).isEmpty())
                response.headers.append({name, value});
        answered(response.status);
        m_connection->respond(m_serial, std::move(response));
    }
    m_connection.clear();
}

HttpStream *HttpResponder::startStream(int status, QList<QPair<QByteArray, QByteArray>> headers)
{
    HttpStream *stream = nullptr;
    if (isPending()) {
        headers += m_extraHeaders;
        answered(status);
        stream = m_connection->beginStream(m_serial, status, std::move(headers));
    }
    m_connection.clear();
    return stream;
}

QTcpSocket *HttpResponder::upgradeToWebSocket(QWebSocketServer *server)
{
    QTcpSocket *upgraded = nullptr;
    if (isPending()) {
        upgraded = m_connection->upgrade(m_serial, server);
        answered(upgraded ? 101 : 500);
    }
    m_connection.clear();
    return upgraded;
}

void HttpResponder::addHeader(QByteArray name, QByteArray value)
{
    m_extraHeaders.append({std::move(name), std::move(value)});
}

void HttpResponder::setAnswerObserver(std::function<void(int status)> observer)
{
    m_observer = std::move(observer);
}

void HttpResponder::answered(int status)
{
    if (auto observer = std::exchange(m_observer, nullptr))
        observer(status);
}

} // namespace pw::http
