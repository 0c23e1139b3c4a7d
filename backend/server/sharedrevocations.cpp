#include "sharedrevocations.h"

#include "cache/redisclient.h"
#include "core/clock.h"

namespace {
const QByteArray kKey = QByteArrayLiteral("pullwatch:sessions:revoked");
constexpr int kMaxRead = 10'000; // SessionTokens keeps at most this many too
} // namespace

SharedRevocations::SharedRevocations(RedisClient *client, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_clock(clock) {
    m_timer.setInterval(kPollMs);
    connect(&m_timer, &QTimer::timeout, this, &SharedRevocations::poll);
    m_timer.start();
}

void SharedRevocations::publish(const QByteArray &nonce, qint64 expiry) {
    if (!m_client->isUsable())
        return; // this replica still ends it; the others at the session's expiry
    m_client->command({QByteArrayLiteral("ZADD"), kKey, QByteArray::number(expiry), nonce});
}

void SharedRevocations::poll() {
    if (!m_client->isUsable() || !m_adopt)
        return;
    const QByteArray now = QByteArray::number(m_clock->now().toSecsSinceEpoch());
    m_client->command(
        {QByteArrayLiteral("ZREMRANGEBYSCORE"), kKey, QByteArrayLiteral("-inf"), now});
    m_client->command({QByteArrayLiteral("ZRANGEBYSCORE"), kKey, now, QByteArrayLiteral("+inf"),
                       QByteArrayLiteral("WITHSCORES"), QByteArrayLiteral("LIMIT"),
                       QByteArrayLiteral("0"), QByteArray::number(kMaxRead)},
                      [this](const RedisReply &r) {
                          for (qsizetype i = 0; i + 1 < r.elements.size(); i += 2)
                              m_adopt(r.elements[i].string, r.elements[i + 1].string.toLongLong());
                      });
}
