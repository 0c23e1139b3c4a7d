#include "rediscache.h"

#include "redisclient.h"

#include <QPointer>

#include <memory>

namespace pw::cache {

RedisCache::RedisCache(RedisClient *client, QObject *parent)
    : Cache(parent)
    , m_client(client)
{
    connect(m_client, &RedisClient::stateChanged, this, [this](RedisClient::State state) {
        Q_EMIT availabilityChanged(state == RedisClient::State::Connected);
    });
}

bool RedisCache::isAvailable() const
{
    return m_client->isUsable();
}

void RedisCache::get(const QByteArray &key, GetCallback done)
{
    // GET and PTTL go out together and come back in order: the value and how old it is, in
    // one round trip.
    auto lookup = std::make_shared<CacheLookup>();
    m_client->command({QByteArrayLiteral("GET"), key}, [lookup](const RedisReply &r) {
        if (r.type == RedisReply::Type::String) {
            lookup->outcome = CacheLookup::Outcome::Hit;
            lookup->value = r.string;
        } else if (r.type == RedisReply::Type::Nil) {
            lookup->outcome = CacheLookup::Outcome::Miss;
        } else {
            lookup->outcome = CacheLookup::Outcome::Error;
            lookup->error = QString::fromUtf8(r.string);
        }
    });
    m_client->command({QByteArrayLiteral("PTTL"), key}, [lookup, done](const RedisReply &r) {
        if (lookup->outcome == CacheLookup::Outcome::Hit) {
            if (r.type == RedisReply::Type::Integer && r.integer > 0) {
                lookup->remainingTtlMs = r.integer;
            } else {
                // Expired between the two commands, or no expiry: not trusted.
                lookup->outcome = CacheLookup::Outcome::Miss;
                lookup->value.clear();
            }
        }
        done(*lookup);
    });
}

// The client may outlive this cache and fail its pending commands when it goes (the callbacks
// then run with this cache destroyed): the write callbacks hold a QPointer, not `this`.
void RedisCache::set(const QByteArray &key, const QByteArray &value, int ttlMs)
{
    if (ttlMs <= 0) {
        // Already expired: it replaces the value before it and is not stored, as in the
        // in-process cache. Redis refuses SET … PX 0, which would leave the old value served.
        remove({key});
        return;
    }
    if (!m_client->isUsable())
        return;
    m_client->command({QByteArrayLiteral("SET"), key, value, QByteArrayLiteral("PX"),
                       QByteArray::number(ttlMs)},
                      [self = QPointer<RedisCache>(this)](const RedisReply &r) {
                          if (self && r.type == RedisReply::Type::Error)
                              ++self->m_writeErrors;
                      });
}

void RedisCache::remove(const QByteArrayList &keys)
{
    if (keys.isEmpty() || !m_client->isUsable())
        return;
    QByteArrayList command{QByteArrayLiteral("DEL")};
    command += keys;
    m_client->command(command, [self = QPointer<RedisCache>(this)](const RedisReply &r) {
        if (self && r.type == RedisReply::Type::Error)
            ++self->m_writeErrors;
    });
}

} // namespace pw::cache
