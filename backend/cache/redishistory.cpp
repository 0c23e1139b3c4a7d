#include "redishistory.h"

#include "cachelog.h"
#include "redisclient.h"

#include <QJsonDocument>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace pw::cache {

namespace {
const QByteArray kIndex = QByteArrayLiteral("pullwatch:history");
QByteArray keyOf(const QString &id)
{
    return kIndex + ':' + id.toUtf8();
}
constexpr int kLoadWaitMs = 3000;
const QByteArray kNotifyQueue = QByteArrayLiteral("pullwatch:notify:queue");
const QByteArray kNotifyClaim = QByteArrayLiteral("pullwatch:notify:claim:");
const QByteArray kNotifyLease = QByteArrayLiteral("pullwatch:notify:lease:");
constexpr int kClaimSeconds = 7 * 24 * 3600;
constexpr int kClaimRetryMs = 500;

QByteArray bodyOf(const core::Notification &n)
{
    return QJsonDocument(n.toJson()).toJson(QJsonDocument::Compact);
}
} // namespace

RedisHistory::RedisHistory(RedisClient *client, int limit, QObject *parent)
    : core::PullHistory(parent)
    , m_client(client)
    , m_limit(limit)
{
    connect(m_client, &RedisClient::stateChanged, this, [this](RedisClient::State state) {
        if (state == RedisClient::State::Connected)
            drain();
    });
}

void RedisHistory::load(Loaded done)
{
    if (m_client->isUsable()) {
        loadNow(std::move(done));
        return;
    }
    // Redis may still be connecting: wait a little, then start without history.
    auto answered = std::make_shared<bool>(false);
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(m_client, &RedisClient::stateChanged, this,
                          [this, done, answered, connection](RedisClient::State state) {
                              if (state != RedisClient::State::Connected || *answered)
                                  return;
                              *answered = true;
                              disconnect(*connection);
                              loadNow(done);
                          });
    QTimer::singleShot(kLoadWaitMs, this, [this, done, answered, connection] {
        if (*answered)
            return;
        *answered = true;
        disconnect(*connection);
        done({}, QStringLiteral("redis at %1 is not reachable; starting without history")
                     .arg(m_client->endpoint().displayName()));
    });
}

void RedisHistory::loadNow(Loaded done)
{
    m_client->command({QByteArrayLiteral("ZREVRANGE"), kIndex, QByteArrayLiteral("0"),
                       QByteArray::number(m_limit - 1)},
                      [this, done](const RedisReply &ids) {
                          if (ids.type != RedisReply::Type::Array) {
                              done({}, QString::fromUtf8(ids.string));
                              return;
                          }
                          if (ids.elements.isEmpty()) {
                              done({}, {});
                              return;
                          }
                          QByteArrayList mget{QByteArrayLiteral("MGET")};
                          for (const RedisReply &id : ids.elements)
                              mget.append(kIndex + ':' + id.string);
                          m_client->command(mget, [done](const RedisReply &bodies) {
                              QList<core::PullJob> jobs;
                              for (const RedisReply &b : bodies.elements)
                                  if (b.type == RedisReply::Type::String)
                                      jobs.append(core::PullJob::fromJson(QJsonDocument::fromJson(b.string).object()));
                              done(jobs, bodies.type == RedisReply::Type::Array ? QString()
                                                                                : QString::fromUtf8(bodies.string));
                          });
                      });
}

void RedisHistory::record(const core::PullJob &job)
{
    if (!m_client->isUsable()) {
        m_queue.append(job);
        if (m_queue.size() > kMaxQueued) {
            qCWarning(lcCache) << "redis history queue full; dropping the oldest queued pull";
            m_queue.removeFirst();
        }
        return;
    }
    write(job);
}

void RedisHistory::write(const core::PullJob &job)
{
    const QByteArray body = QJsonDocument(job.toDetailJson()).toJson(QJsonDocument::Compact);
    m_client->command({QByteArrayLiteral("SET"), keyOf(job.id), body});
    m_client->command({QByteArrayLiteral("ZADD"), kIndex,
                       QByteArray::number(job.finishedAt.toMSecsSinceEpoch()), job.id.toUtf8()});
    // Keep the newest `limit`: drop the rest and their bodies.
    m_client->command({QByteArrayLiteral("ZRANGE"), kIndex, QByteArrayLiteral("0"),
                       QByteArray::number(-m_limit - 1)},
                      // QPointer: the client may fail this command after this history is gone.
                      [self = QPointer<RedisHistory>(this)](const RedisReply &old) {
                          if (!self || old.type != RedisReply::Type::Array ||
                              old.elements.isEmpty())
                              return;
                          QByteArrayList del{QByteArrayLiteral("DEL")};
                          QByteArrayList zrem{QByteArrayLiteral("ZREM"), kIndex};
                          for (const RedisReply &id : old.elements) {
                              del.append(kIndex + ':' + id.string);
                              zrem.append(id.string);
                          }
                          self->m_client->command(del);
                          self->m_client->command(zrem);
                      });
}

void RedisHistory::add(const core::Notification &n, std::function<void(bool)> done)
{
    claimAndQueue(n, std::move(done), false);
}

void RedisHistory::claimAndQueue(const core::Notification &n, std::function<void(bool)> done,
                                 bool retry)
{
    if (!m_client->isUsable()) {
        if (m_notifyWaiting.size() >= kMaxQueued) {
            qCWarning(lcCache) << "redis callback queue full; a completion callback is dropped";
            done(false);
            return;
        }
        m_notifyWaiting.append({n, done, retry});
        return;
    }
    // The claim and the queue entry are one script: a claim whose HSET never ran (its reply
    // timed out, the connection broke) would leave a callback nobody delivers.
    static const QByteArray script = QByteArrayLiteral(
        "if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then "
        "redis.call('HSET', KEYS[2], ARGV[2], ARGV[3]) return 1 end return 0");
    QPointer<RedisHistory> self(this);
    m_client->command(
        {QByteArrayLiteral("EVAL"), script, QByteArrayLiteral("2"), kNotifyClaim + n.key.toUtf8(),
         kNotifyQueue, QByteArray::number(kClaimSeconds), n.key.toUtf8(), bodyOf(n)},
        [self, n, done, retry](const RedisReply &r) {
            if (!self)
                return;
            if (r.type == RedisReply::Type::Error && r.transport) {
                // Not known whether Redis ran it: ask again in a moment (or once it is back).
                QTimer::singleShot(kClaimRetryMs, self,
                                   [self, n, done] { self->claimAndQueue(n, done, true); });
                return;
            }
            if (r.type != RedisReply::Type::Integer) {
                // Redis refused the script (no EVAL for this user, a read-only replica…):
                // asking again would not help.
                qCWarning(lcCache).noquote() << "redis refused to queue completion callback"
                                             << n.key << ":" << QString::fromUtf8(r.string.left(200));
                done(false);
                return;
            }
            // 0: another replica queued it — or this one did, in an attempt whose answer was
            // lost. After such a retry it is taken anyway; the lease keeps the attempts single.
            done(r.integer == 1 || retry);
        });
}

void RedisHistory::pending(std::function<void(const QList<core::Notification> &)> done)
{
    if (!m_client->isUsable()) {
        done({});
        return;
    }
    m_client->command({QByteArrayLiteral("HVALS"), kNotifyQueue}, [done](const RedisReply &r) {
        QList<core::Notification> out;
        for (const RedisReply &e : r.elements)
            if (e.type == RedisReply::Type::String)
                out.append(core::Notification::fromJson(QJsonDocument::fromJson(e.string).object()));
        done(out);
    });
}

void RedisHistory::lease(const core::Notification &n, int ms, Leased done)
{
    if (!m_client->isUsable()) {
        done(Lease::Busy, n);
        return;
    }
    const QByteArray field = n.key.toUtf8();
    m_client->command({QByteArrayLiteral("SET"), kNotifyLease + field, QByteArrayLiteral("1"),
                       QByteArrayLiteral("NX"), QByteArrayLiteral("PX"), QByteArray::number(ms)},
                      [this, n, field, done](const RedisReply &r) {
                          if (r.type != RedisReply::Type::Status) {
                              done(Lease::Busy, n);
                              return;
                          }
                          // Held now; still queued, and in which state? Another replica may have
                          // delivered it, or tried and set the next attempt later.
                          m_client->command({QByteArrayLiteral("HGET"), kNotifyQueue, field},
                                            [this, n, field, done](const RedisReply &current) {
                                                if (current.type == RedisReply::Type::String) {
                                                    done(Lease::Mine, core::Notification::fromJson(
                                                                          QJsonDocument::fromJson(current.string).object()));
                                                    return;
                                                }
                                                m_client->command({QByteArrayLiteral("DEL"), kNotifyLease + field});
                                                done(Lease::Gone, n);
                                            });
                      });
}

void RedisHistory::update(const core::Notification &n)
{
    m_client->command({QByteArrayLiteral("HSET"), kNotifyQueue, n.key.toUtf8(), bodyOf(n)});
    m_client->command({QByteArrayLiteral("DEL"), kNotifyLease + n.key.toUtf8()});
}

void RedisHistory::remove(const QString &key)
{
    m_client->command({QByteArrayLiteral("HDEL"), kNotifyQueue, key.toUtf8()});
    m_client->command({QByteArrayLiteral("DEL"), kNotifyLease + key.toUtf8()});
}

void RedisHistory::drain()
{
    const auto waiting = std::move(m_notifyWaiting);
    m_notifyWaiting.clear();
    for (const WaitingClaim &w : waiting)
        claimAndQueue(w.notification, w.done, w.retry);
    const QList<core::PullJob> queued = std::move(m_queue);
    m_queue.clear();
    for (const core::PullJob &job : queued)
        write(job);
}

void RedisHistory::flush()
{
    // Commands are already on their way; what Redis did not take stays queued in memory
    // and is lost at exit, which the log says.
    if (!m_queue.isEmpty())
        qCWarning(lcCache) << m_queue.size() << "finished pulls could not be written to redis";
}

} // namespace pw::cache
