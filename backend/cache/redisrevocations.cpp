#include "redisrevocations.h"

#include "cachelog.h"
#include "redisclient.h"

#include "core/clock.h"

#include <QPointer>

namespace pw::cache {

RedisRevocations::RedisRevocations(RedisClient *client, core::Clock *clock, int refreshMs,
                                   QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_clock(clock)
{
    m_timer.setInterval(refreshMs);
    connect(&m_timer, &QTimer::timeout, this, &RedisRevocations::refresh);
    m_timer.start();
    connect(m_client, &RedisClient::stateChanged, this, [this](RedisClient::State state) {
        if (state == RedisClient::State::Connected)
            refresh();
    });
    refresh();
}

qint64 RedisRevocations::nowSeconds() const
{
    return m_clock->now().toSecsSinceEpoch();
}

bool RedisRevocations::contains(const QByteArray &id) const
{
    const auto it = m_mirror.constFind(id);
    return it != m_mirror.cend() && it.value() > nowSeconds();
}

void RedisRevocations::revoke(const QByteArray &id, qint64 expiry)
{
    if (expiry <= nowSeconds())
        return;
    if (m_mirror.size() < kMaxEntries)
        m_mirror.insert(id, expiry);
    if (m_pending.size() < kMaxEntries)
        m_pending.insert(id, expiry);
    store(id, expiry);
}

void RedisRevocations::store(const QByteArray &id, qint64 expiry)
{
    const QByteArray at = QByteArray::number(expiry);
    // QPointer, not `this`: the client fails its pending commands when it goes, which may be
    // after this object (the same for every callback below).
    m_client->command({"ZADD", key(), at, id},
                      [self = QPointer<RedisRevocations>(this), id](const RedisReply &reply) {
        if (!self)
            return;
        if (reply.type == RedisReply::Type::Error) {
            qCWarning(lcCache).noquote() << "cannot share a logout through Redis yet:"
                                         << reply.string << "(retrying)";
            return;
        }
        self->m_pending.remove(id);
    });
    // The set goes when its last entry expires: NX sets a first expiry, GT only extends it.
    m_client->command({"EXPIREAT", key(), at, "NX"});
    m_client->command({"EXPIREAT", key(), at, "GT"});
}

void RedisRevocations::refresh()
{
    if (m_refreshing || !m_client->isUsable())
        return;
    for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it)
        store(it.key(), it.value());
    m_refreshing = true;
    const QByteArray now = QByteArray::number(nowSeconds());
    m_client->command({"ZREMRANGEBYSCORE", key(), "-inf", now});
    m_client->command({"ZRANGEBYSCORE", key(), '(' + now, "+inf", "WITHSCORES", "LIMIT", "0",
                       QByteArray::number(kMaxEntries)},
                      [self = QPointer<RedisRevocations>(this)](const RedisReply &reply) {
                          if (!self)
                              return;
                          self->m_refreshing = false;
                          if (reply.type != RedisReply::Type::Array)
                              return; // Redis away: keep what is known
                          QHash<QByteArray, qint64> mirror = self->m_pending;
                          for (qsizetype i = 0; i + 1 < reply.elements.size(); i += 2)
                              mirror.insert(reply.elements[i].string,
                                            reply.elements[i + 1].string.toLongLong());
                          self->m_mirror = std::move(mirror);
                          Q_EMIT self->refreshed();
                      });
}

} // namespace pw::cache
