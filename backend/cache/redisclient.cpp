#include "redisclient.h"

#include "cachelog.h"
#include "rediseventadapter.h"

#include <QElapsedTimer>
#include <QRandomGenerator>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <sys/ioctl.h>

#include <utility>

namespace pw::cache {

namespace {

constexpr int kMaxReadsPerCheck = 64; // hiredis reads 16 KB a call: up to 1 MB at a time

qint64 nowMs()
{
    static QElapsedTimer timer = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return timer.elapsed();
}

RedisReply copyReply(const redisReply *r)
{
    RedisReply out;
    switch (r->type) {
    case REDIS_REPLY_STRING:
        out.type = RedisReply::Type::String;
        out.string = QByteArray(r->str, qsizetype(r->len));
        break;
    case REDIS_REPLY_STATUS:
        out.type = RedisReply::Type::Status;
        out.string = QByteArray(r->str, qsizetype(r->len));
        break;
    case REDIS_REPLY_ERROR:
        out.type = RedisReply::Type::Error;
        out.string = QByteArray(r->str, qsizetype(r->len));
        break;
    case REDIS_REPLY_INTEGER:
        out.type = RedisReply::Type::Integer;
        out.integer = r->integer;
        break;
    case REDIS_REPLY_NIL:
        out.type = RedisReply::Type::Nil;
        break;
    case REDIS_REPLY_ARRAY:
        out.type = RedisReply::Type::Array;
        for (size_t i = 0; i < r->elements; ++i)
            out.elements.append(copyReply(r->element[i]));
        break;
    default:
        out.string = QByteArrayLiteral("unsupported reply type");
    }
    return out;
}

RedisReply errorReply(const QString &why)
{
    RedisReply r;
    r.type = RedisReply::Type::Error;
    r.string = why.toUtf8();
    r.transport = true;
    return r;
}

struct ReplyTag
{
    RedisClient *client;
    quint64 id;
};

} // namespace

RedisClient::RedisClient(RedisEndpoint endpoint, QObject *parent)
    : RedisClient(std::move(endpoint), Timing(), parent)
{
}

RedisClient::RedisClient(RedisEndpoint endpoint, Timing timing, QObject *parent)
    : QObject(parent)
    , m_endpoint(std::move(endpoint))
    , m_timing(timing)
{
    m_deadlineTimer.setSingleShot(true);
    connect(&m_deadlineTimer, &QTimer::timeout, this, &RedisClient::checkDeadlines);
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &RedisClient::connectToServer);
    m_degradedTimer.setSingleShot(true);
    connect(&m_degradedTimer, &QTimer::timeout, this, &RedisClient::probe);
}

RedisClient::~RedisClient()
{
    m_reconnectTimer.stop();
    if (m_context) {
        redisAsyncContext *context = m_context;
        m_context = nullptr;
        context->data = nullptr;
        redisAsyncFree(context); // calls outstanding callbacks with no reply; they are ignored
    }
    delete m_adapter;
    failAllPending(QStringLiteral("redis client destroyed"));
}

void RedisClient::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void RedisClient::connectToServer()
{
    if (m_context)
        return;
    setState(State::Connecting);
    redisAsyncContext *context =
        redisAsyncConnect(m_endpoint.host.toUtf8().constData(), int(m_endpoint.port));
    if (!context || context->err) {
        qCWarning(lcCache).noquote() << "cannot connect to redis at" << m_endpoint.displayName()
                                     << (context ? QString::fromUtf8(context->errstr) : QString());
        if (context)
            redisAsyncFree(context);
        setState(State::Disconnected);
        scheduleReconnect();
        return;
    }
    m_context = context;
    m_context->data = this;
    m_adapter = new RedisEventAdapter(context, this);
    redisAsyncSetConnectCallback(context, &RedisClient::onConnect);
    redisAsyncSetDisconnectCallback(context, &RedisClient::onDisconnect);
    // AUTH and SELECT go first on the new connection; they queue until it is up.
    if (!m_endpoint.password.isEmpty())
        send({QByteArrayLiteral("AUTH"), m_endpoint.password.toUtf8()}, [](const RedisReply &r) {
            if (r.type == RedisReply::Type::Error)
                qCWarning(lcCache) << "redis refused the password (AUTH failed)";
        });
    if (m_endpoint.database != 0)
        send({QByteArrayLiteral("SELECT"), QByteArray::number(m_endpoint.database)}, {});
}

void RedisClient::onConnect(const redisAsyncContext *context, int status)
{
    auto *self = static_cast<RedisClient *>(context->data);
    if (!self)
        return;
    if (status != REDIS_OK) {
        // hiredis frees the context after this callback.
        self->m_context = nullptr;
        self->m_adapter->detach();
        self->m_adapter->deleteLater();
        self->m_adapter = nullptr;
        self->failAllPending(QStringLiteral("redis connection failed"));
        self->setState(State::Disconnected);
        self->scheduleReconnect();
        return;
    }
    qCInfo(lcCache).noquote() << "connected to redis at" << self->m_endpoint.displayName();
    self->m_backoffMs = 0;
    self->setState(State::Connected);
}

void RedisClient::onDisconnect(const redisAsyncContext *context, int status)
{
    auto *self = static_cast<RedisClient *>(context->data);
    if (!self)
        return;
    self->m_context = nullptr; // freed by hiredis after this callback
    if (self->m_adapter) {
        self->m_adapter->detach();
        self->m_adapter->deleteLater();
        self->m_adapter = nullptr;
    }
    self->connectionLost(status == REDIS_OK ? QStringLiteral("redis closed the connection")
                                            : QStringLiteral("redis connection lost"));
}

void RedisClient::connectionLost(const QString &why)
{
    qCWarning(lcCache).noquote() << why << "(" << m_endpoint.displayName() << "); reconnecting";
    failAllPending(why);
    setState(State::Disconnected);
    scheduleReconnect();
}

void RedisClient::scheduleReconnect()
{
    if (m_reconnectTimer.isActive())
        return;
    m_backoffMs = m_backoffMs == 0 ? m_timing.reconnectMinMs
                                   : qMin(m_backoffMs * 2, m_timing.reconnectMaxMs);
    const int jitter = int(QRandomGenerator::global()->bounded(m_backoffMs / 4 + 1));
    ++m_reconnects;
    m_reconnectTimer.start(m_backoffMs + jitter);
}

void RedisClient::command(const QByteArrayList &arguments, Callback done)
{
    if (m_state != State::Connected || m_pending.size() >= m_timing.maxPending) {
        if (done) {
            const QString why = m_state == State::Connected
                ? QStringLiteral("too many redis commands in flight")
                : QStringLiteral("redis is not available");
            QMetaObject::invokeMethod(this, [done, why] { done(errorReply(why)); },
                                      Qt::QueuedConnection);
        }
        return;
    }
    send(arguments, std::move(done));
}

void RedisClient::send(const QByteArrayList &arguments, Callback done)
{
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    for (const QByteArray &a : arguments) {
        argv.push_back(a.constData());
        lengths.push_back(size_t(a.size()));
    }
    const quint64 id = m_nextId++;
    auto *tag = new ReplyTag{this, id};
    if (redisAsyncCommandArgv(m_context, &RedisClient::onReply, tag, int(argv.size()), argv.data(),
                              lengths.data())
        != REDIS_OK) {
        delete tag;
        if (done)
            QMetaObject::invokeMethod(
                this, [done] { done(errorReply(QStringLiteral("redis command not sent"))); },
                Qt::QueuedConnection);
        return;
    }
    m_pending.insert(id, Pending{std::move(done), nowMs() + m_timing.commandTimeoutMs});
    m_order.push_back(id);
    if (!m_deadlineTimer.isActive())
        armDeadlineTimer(m_timing.commandTimeoutMs);
}

void RedisClient::onReply(redisAsyncContext *, void *reply, void *privdata)
{
    auto *tag = static_cast<ReplyTag *>(privdata);
    RedisClient *self = tag->client;
    const quint64 id = tag->id;
    delete tag;
    if (!reply) {
        // The context is going away; the disconnect callback fails what is pending.
        return;
    }
    self->handleReply(id, copyReply(static_cast<redisReply *>(reply)));
}

void RedisClient::handleReply(quint64 id, const RedisReply &reply)
{
    const auto it = m_pending.find(id);
    if (it == m_pending.end())
        return; // it timed out already
    Callback done = std::move(it->done);
    m_pending.erase(it);
    if (done)
        done(reply);
}

void RedisClient::armDeadlineTimer(int ms)
{
    m_deadlineTimerDue = nowMs() + ms;
    m_deadlineTimer.start(ms);
}

void RedisClient::readWaitingReplies()
{
    // hiredis reads at most 16 KB a call: a larger answer takes several.
    for (int i = 0; i < kMaxReadsPerCheck && m_context && m_context->c.fd >= 0; ++i) {
        int available = 0;
        if (::ioctl(m_context->c.fd, FIONREAD, &available) != 0 || available <= 0)
            break;
        redisAsyncHandleRead(m_context);
    }
}

void RedisClient::checkDeadlines()
{
    // A timer that runs late means this process stalled (a long handler, a loaded machine),
    // not Redis: what is still in our output buffer is sent, and each command gets one more
    // whole timeout — once, so a Redis that hangs while we keep stalling still times out.
    // Answers already here are read before any deadline is judged: the timer may run before
    // the socket notifier in the same turn of the event loop.
    const bool stalled = nowMs() - m_deadlineTimerDue > m_timing.commandTimeoutMs / 2;
    if (stalled && m_context)
        redisAsyncHandleWrite(m_context);
    readWaitingReplies();
    const qint64 now = nowMs();
    if (stalled) {
        for (Pending &p : m_pending)
            if (!std::exchange(p.graceGiven, true))
                p.deadline = qMax(p.deadline, now + m_timing.commandTimeoutMs);
    }
    bool timedOut = false;
    while (!m_order.empty()) {
        const auto it = m_pending.find(m_order.front());
        if (it == m_pending.end()) {
            m_order.pop_front();
            continue;
        }
        if (it->deadline > now) {
            armDeadlineTimer(int(it->deadline - now) + 1);
            break;
        }
        Callback done = std::move(it->done);
        m_pending.erase(it);
        m_order.pop_front();
        ++m_timeouts;
        timedOut = true;
        if (done)
            done(errorReply(QStringLiteral("redis did not answer within %1 ms")
                                .arg(m_timing.commandTimeoutMs)));
    }
    if (timedOut && m_state == State::Connected) {
        qCWarning(lcCache) << "redis is not answering; serving without it for"
                           << m_timing.degradedMs << "ms";
        setState(State::Degraded);
        m_degradedTimer.start(m_timing.degradedMs);
    }
}

void RedisClient::probe()
{
    if (m_state != State::Degraded || !m_context)
        return;
    send({QByteArrayLiteral("PING")}, [this](const RedisReply &r) {
        if (m_state != State::Degraded)
            return;
        if (r.type == RedisReply::Type::Status) {
            qCInfo(lcCache) << "redis answers again";
            setState(State::Connected);
        } else {
            m_degradedTimer.start(m_timing.degradedMs);
        }
    });
}

void RedisClient::failAllPending(const QString &why)
{
    const auto pending = std::move(m_pending);
    m_pending.clear();
    m_order.clear();
    for (const Pending &p : pending)
        if (p.done)
            p.done(errorReply(why));
}

} // namespace pw::cache
