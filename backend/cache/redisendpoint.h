#pragma once

#include "core/result.h"

#include <QString>

namespace pw::cache {

// Where Redis is, from redis://[:password@]host:port[/db].
struct RedisEndpoint
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 6379;
    QString password; // never logged
    int database = 0;

    static core::Result<RedisEndpoint> parse(const QString &url);
    // host:port/db, without the password, for logs.
    QString displayName() const;
};

} // namespace pw::cache
