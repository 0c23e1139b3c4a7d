#pragma once

#include "cache.h"

namespace pw::cache {

class RedisClient;

// The shared backend: plain Redis strings with PX expiry, so any instance (or redis-cli)
// reads the finished response bytes under the documented keys.
class RedisCache : public Cache
{
    Q_OBJECT
public:
    explicit RedisCache(RedisClient *client, QObject *parent = nullptr);

    void get(const QByteArray &key, GetCallback done) override;
    void set(const QByteArray &key, const QByteArray &value, int ttlMs) override;
    void remove(const QByteArrayList &keys) override;
    QString backendName() const override { return QStringLiteral("redis"); }
    bool isAvailable() const override;
    quint64 writeErrors() const { return m_writeErrors; }

private:
    RedisClient *m_client;
    quint64 m_writeErrors = 0;
};

} // namespace pw::cache
