#include "redisendpoint.h"

#include <QUrl>

namespace pw::cache {

core::Result<RedisEndpoint> RedisEndpoint::parse(const QString &text)
{
    using R = core::Result<RedisEndpoint>;
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.scheme() != u"redis")
        return R::failure(QStringLiteral("redis URL must look like redis://[:password@]host:port[/db]"));
    if (url.host().isEmpty())
        return R::failure(QStringLiteral("redis URL has no host"));
    RedisEndpoint e;
    e.host = url.host();
    const int port = url.port(6379);
    if (port < 1 || port > 65535)
        return R::failure(QStringLiteral("redis URL port must be 1..65535"));
    e.port = quint16(port);
    e.password = url.password(QUrl::FullyDecoded);
    const QString path = url.path();
    if (!path.isEmpty() && path != u"/") {
        bool ok = false;
        e.database = path.mid(1).toInt(&ok);
        if (!ok || e.database < 0 || e.database > 15)
            return R::failure(QStringLiteral("redis URL database must be a number 0..15"));
    }
    return e;
}

QString RedisEndpoint::displayName() const
{
    return QStringLiteral("%1:%2/%3").arg(host).arg(port).arg(database);
}

} // namespace pw::cache
