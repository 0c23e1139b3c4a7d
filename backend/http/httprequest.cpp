#include "httprequest.h"

#include <QUrl>

namespace pw::http {

namespace {

QString decode(QByteArrayView encoded)
{
    return QUrl::fromPercentEncoding(encoded.toByteArray());
}

} // namespace

QByteArray HttpRequest::header(QByteArrayView lowercaseName) const
{
    for (const auto &[name, value] : headers)
        if (name == lowercaseName)
            return value;
    return {};
}

bool HttpRequest::hasHeader(QByteArrayView lowercaseName) const
{
    for (const auto &h : headers)
        if (h.first == lowercaseName)
            return true;
    return false;
}

QString HttpRequest::path() const
{
    return decode(rawPath);
}

QList<QPair<QString, QString>> HttpRequest::queryItems() const
{
    QList<QPair<QString, QString>> items;
    if (rawQuery.isEmpty())
        return items;
    for (const QByteArray &part : rawQuery.split('&')) {
        if (part.isEmpty())
            continue;
        const qsizetype eq = part.indexOf('=');
        if (eq < 0)
            items.append({decode(part), QString()});
        else
            items.append({decode(part.left(eq)), decode(part.mid(eq + 1))});
    }
    return items;
}

bool HttpRequest::hasQueryItem(QStringView key) const
{
    for (const auto &item : queryItems())
        if (item.first == key)
            return true;
    return false;
}

QString HttpRequest::queryValue(QStringView key) const
{
    for (const auto &item : queryItems())
        if (item.first == key)
            return item.second;
    return {};
}

bool HttpRequest::isWebSocketUpgrade() const
{
    return header("upgrade").toLower() == "websocket"
        && header("connection").toLower().contains("upgrade");
}

} // namespace pw::http
