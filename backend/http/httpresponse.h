#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace pw::http {

// One HTTP response to be written whole (see HttpStream for streamed bodies).
struct HttpResponse
{
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers; // besides Content-Length, Date and Connection
    QByteArray body;

    static HttpResponse json(int status, QByteArray body);
    static HttpResponse text(int status, QByteArray body, QByteArray contentType = "text/plain; charset=utf-8");
    HttpResponse &setHeader(QByteArray name, QByteArray value);
    QByteArray header(QByteArrayView name) const;

    // The status line and headers, without the blank line that ends them.
    static QByteArray statusLine(int status);
    static QByteArray reasonPhrase(int status);
};

} // namespace pw::http
