#include "wsprotocol.h"

#include "core/wsprotocolname.h"

#include <QUrlQuery>
#include <QWebSocket>

namespace pw::server {

namespace {
const QString kParameter = QStringLiteral("v");
} // namespace

namespace WsProtocol {

QStringList subprotocols()
{
    return {core::WsProtocolName::v2()};
}

QString queryError(const QList<QPair<QString, QString>> &items)
{
    bool seen = false;
    for (const auto &[key, value] : items) {
        if (key != kParameter)
            continue;
        if (seen)
            return QStringLiteral("v is given more than once");
        seen = true;
        const QString error = core::WsProtocolName::versionError(value);
        if (!error.isEmpty())
            return error;
    }
    return {};
}

WsVersion of(const QWebSocket &socket)
{
    if (socket.subprotocol() == core::WsProtocolName::v2())
        return WsVersion::V2;
    const QUrlQuery query(socket.requestUrl());
    return query.queryItemValue(kParameter) == QLatin1String("2") ? WsVersion::V2 : WsVersion::V1;
}

} // namespace WsProtocol

} // namespace pw::server
