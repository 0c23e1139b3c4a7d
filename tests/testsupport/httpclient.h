#pragma once

#include <QByteArray>
#include <QList>
#include <QNetworkAccessManager>
#include <QPair>
#include <QUrl>

// Synchronous-looking HTTP for tests: runs the event loop until the reply is finished.
struct HttpResult
{
    int status = 0; // 0 when no HTTP answer came
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    QString networkError;
    QByteArray header(const QByteArray &name) const;
};

class HttpClient
{
public:
    HttpResult get(const QUrl &url, const QList<QPair<QByteArray, QByteArray>> &headers = {});
    HttpResult send(const QByteArray &method, const QUrl &url, const QByteArray &body = {},
                    const QList<QPair<QByteArray, QByteArray>> &headers = {});
    QNetworkAccessManager &manager() { return m_manager; }

private:
    QNetworkAccessManager m_manager;
};
