#include "httpresponder.h"

#include "httpconnection.h"

HttpResponder::HttpResponder(HttpConnection *connection, quint64 serial)
    : m_connection(connection)
    , m_serial(serial)
{
}

HttpResponder::HttpResponder(HttpResponder &&other) noexcept
    : m_connection(std::move(other.m_connection))
    , m_serial(other.m_serial)
{
    other.m_connection.clear();
}

HttpResponder &HttpResponder::operator=(HttpResponder &&other) noexcept
{
    if (this != &other) {
        if (isPending())
            m_connection->answerUnanswered(m_serial);
        m_connection = std::move(other.m_connection);
        m_serial = other.m_serial;
        other.m_connection.clear();
    }
    return *this;
}

HttpResponder::~HttpResponder()
{
    if (isPending())
        m_connection->answerUnanswered(m_serial);
}

bool HttpResponder::isPending() const
{
    return m_connection && m_connection->isAwaiting(m_serial);
}

void HttpResponder::send(HttpResponse response)
{
    if (isPending())
        m_connection->respond(m_serial, std::move(response));
    m_connection.clear();
}

HttpStream *HttpResponder::startStream(int status, QList<QPair<QByteArray, QByteArray>> headers)
{
    HttpStream *stream = nullptr;
    if (isPending())
        stream = m_connection->beginStream(m_serial, status, std::move(headers));
    m_connection.clear();
    return stream;
}

bool HttpResponder::upgradeToWebSocket(QWebSocketServer *server)
{
    bool upgraded = false;
    if (isPending())
        upgraded = m_connection->upgrade(m_serial, server);
    m_connection.clear();
    return upgraded;
}
