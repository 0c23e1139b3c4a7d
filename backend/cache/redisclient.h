#pragma once

#include "redisendpoint.h"

#include <QByteArrayList>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <deque>
#include <functional>

struct redisAsyncContext;

namespace pw::cache {

class RedisEventAdapter;

// One Redis reply, copied out of hiredis.
struct RedisReply
{
    enum class Type { Error, Nil, String, Integer, Array, Status };
    Type type = Type::Error;
    QByteArray string; // String, Status, or the error text
    long long integer = 0;
    QList<RedisReply> elements;
    // An Error made by this client (no answer in time, not connected, not sent), not said by
    // Redis: the command may or may not have run, and asking again may succeed.
    bool transport = false;
};

// One asynchronous Redis connection on the Qt event loop (hiredis async API). Reconnects
// with backoff; every command has a deadline, so a paused or dead Redis costs a bounded wait;
// after a timeout the client fails fast for a while and probes with PING before trusting
// Redis again.
class RedisClient : public QObject
{
    Q_OBJECT
public:
    enum class State { Disconnected, Connecting, Connected, Degraded };
    struct Timing
    {
        int commandTimeoutMs = 250;
        int reconnectMinMs = 100;
        int reconnectMaxMs = 5000;
        int degradedMs = 1000; // how long to fail fast after a timeout
        int maxPending = 10'000;
    };
    using Callback = std::function<void(const RedisReply &)>;

    explicit RedisClient(RedisEndpoint endpoint, QObject *parent = nullptr);
    RedisClient(RedisEndpoint endpoint, Timing timing, QObject *parent = nullptr);
    ~RedisClient() override;

    void connectToServer();
    // Sends one command; `done` (optional) gets the reply, or an Error reply on timeout,
    // disconnect or when the client is not usable. Always called exactly once, later.
    void command(const QByteArrayList &arguments, Callback done = {});
    State state() const { return m_state; }
    bool isUsable() const { return m_state == State::Connected; }
    const RedisEndpoint &endpoint() const { return m_endpoint; }
    quint64 timeouts() const { return m_timeouts; }
    quint64 reconnects() const { return m_reconnects; }

Q_SIGNALS:
    void stateChanged(RedisClient::State state);

private:
    struct Pending
    {
        Callback done;
        qint64 deadline;
        bool graceGiven = false; // its deadline was moved once for a stall of our own
    };
    static void onConnect(const redisAsyncContext *context, int status);
    static void onDisconnect(const redisAsyncContext *context, int status);
    static void onReply(redisAsyncContext *context, void *reply, void *privdata);
    void handleReply(quint64 id, const RedisReply &reply);
    void connectionLost(const QString &why);
    void setState(State state);
    void scheduleReconnect();
    void checkDeadlines();
    void readWaitingReplies();
    void armDeadlineTimer(int ms);
    void failAllPending(const QString &why);
    void send(const QByteArrayList &arguments, Callback done);
    void probe();

    RedisEndpoint m_endpoint;
    Timing m_timing;
    State m_state = State::Disconnected;
    redisAsyncContext *m_context = nullptr;
    RedisEventAdapter *m_adapter = nullptr;
    quint64 m_nextId = 1;
    QHash<quint64, Pending> m_pending;
    std::deque<quint64> m_order; // ids in sending order, for deadlines
    QTimer m_deadlineTimer;
    qint64 m_deadlineTimerDue = 0; // when it should run (nowMs): lateness means our own stall
    QTimer m_reconnectTimer;
    QTimer m_degradedTimer;
    int m_backoffMs = 0;
    quint64 m_timeouts = 0;
    quint64 m_reconnects = 0;
};

} // namespace pw::cache
