// pwbench-cachepoll: polls GET /images/pull-active on --connections keep-alive connections
// while a new pull is started every --interval-ms (each goes through its stages quickly),
// and checks that no answer is older than the last change: a change the /ws/image-pull-all
// feed had delivered before a request was sent must be in that request's answer (the hub
// and the cache invalidation run on the same thread, on the same change signal): a listed
// pull's updated_at is not older than the feed's, and a pull the feed said had finished is
// not listed. (A pull missing from an answer while the feed still shows it active finished
// before its last message reached the feed: newer, not older; counted for information.)
//   --base http://127.0.0.1:PORT --seconds S [--connections C] [--interval-ms 100]
#include "benchutil.h"
#include "benchws.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>

#include <memory>
#include <vector>

namespace {

struct Seen
{
    qint64 feedSeq; // position in the feed when it arrived
    qint64 updatedMs;
    bool terminal;
};

class Poller;

class Bench : public QObject
{
public:
    explicit Bench(const QStringList &args);
    void start();
    qint64 feedSeq() const { return m_feedSeq; }
    void checkAnswer(const QByteArray &body, qint64 sentAtSeq);
    bool running() const { return m_running; }
    void countError() { ++m_errors; }

private:
    void onFeed(const QString &text);
    void startPull();
    void finish();
    // The newest feed entry for job known at feed position seq, or nullptr.
    const Seen *knownAt(const QString &job, qint64 seq) const;

    QUrl m_base;
    int m_seconds;
    int m_connections;
    int m_intervalMs;
    QWebSocket m_feed;
    QNetworkAccessManager m_http;
    QTimer m_driver;
    std::vector<std::unique_ptr<Poller>> m_pollers;
    QHash<QString, QList<Seen>> m_seen;
    qint64 m_feedSeq = 0;
    qint64 m_changes = 0;
    qint64 m_answers = 0;
    qint64 m_stale = 0;
    qint64 m_errors = 0;
    qint64 m_absent = 0;
    qint64 m_pullsStarted = 0;
    bool m_running = false;
};

// One keep-alive connection sending GETs back to back.
class Poller : public QObject
{
public:
    Poller(Bench *bench, const QUrl &base)
        : m_bench(bench)
        , m_request("GET /images/pull-active HTTP/1.1\r\nHost: " + base.authority().toLatin1() + "\r\n\r\n")
    {
        connect(&m_socket, &QTcpSocket::connected, this, &Poller::send);
        connect(&m_socket, &QTcpSocket::readyRead, this, &Poller::onData);
        m_socket.connectToHost(base.host(), quint16(base.port()));
    }

private:
    void send()
    {
        if (!m_bench->running())
            return;
        m_sentAtSeq = m_bench->feedSeq();
        m_socket.write(m_request);
    }

    void onData()
    {
        m_buffer += m_socket.readAll();
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QByteArray head = m_buffer.left(end).toLower();
        const qsizetype at = head.indexOf("content-length:");
        const qsizetype length = head.mid(at + 15, head.indexOf("\r\n", at) - at - 15).trimmed().toLongLong();
        if (at < 0 || m_buffer.size() < end + 4 + length)
            return;
        if (m_buffer.startsWith("HTTP/1.1 200 "))
            m_bench->checkAnswer(m_buffer.mid(end + 4, length), m_sentAtSeq);
        else
            m_bench->countError();
        m_buffer.remove(0, end + 4 + length);
        send();
    }

    Bench *m_bench;
    QByteArray m_request;
    QTcpSocket m_socket;
    QByteArray m_buffer;
    qint64 m_sentAtSeq = 0;
};

qint64 parseTime(const QString &text)
{
    return QDateTime::fromString(text, Qt::ISODateWithMs).toMSecsSinceEpoch();
}

Bench::Bench(const QStringList &args)
    : m_base(BenchUtil::option(args, "base"))
    , m_seconds(BenchUtil::option(args, "seconds", QStringLiteral("10")).toInt())
    , m_connections(BenchUtil::option(args, "connections", QStringLiteral("8")).toInt())
    , m_intervalMs(BenchUtil::option(args, "interval-ms", QStringLiteral("100")).toInt())
{
    connect(&m_feed, &QWebSocket::textMessageReceived, this, &Bench::onFeed);
    connect(&m_driver, &QTimer::timeout, this, &Bench::startPull);
}

void Bench::start()
{
    QUrl ws = m_base;
    ws.setScheme(QStringLiteral("ws"));
    ws.setPath(QStringLiteral("/ws/image-pull-all"));
    connect(&m_feed, &QWebSocket::connected, this, [this] {
        m_feed.sendTextMessage(QStringLiteral("{\"action\":\"subscribe\",\"job_id\":\"*\"}"));
    });
    BenchUtil::openWebSocket(m_feed, ws);
}

void Bench::onFeed(const QString &text)
{
    const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString type = o.value(QLatin1String("type")).toString();
    if (type == QLatin1String("subscribed") && !m_running) {
        m_running = true;
        m_driver.start(m_intervalMs);
        for (int i = 0; i < m_connections; ++i)
            m_pollers.push_back(std::make_unique<Poller>(this, m_base));
        QTimer::singleShot(m_seconds * 1000, this, &Bench::finish);
        return;
    }
    if (type != QLatin1String("status"))
        return;
    const QString status = o.value(QLatin1String("status")).toString();
    ++m_feedSeq;
    ++m_changes;
    m_seen[o.value(QLatin1String("job_id")).toString()].append(
        {m_feedSeq, parseTime(o.value(QLatin1String("timestamp")).toString()),
         status == QLatin1String("completed") || status == QLatin1String("failed")});
}

const Seen *Bench::knownAt(const QString &job, qint64 seq) const
{
    const auto it = m_seen.constFind(job);
    if (it == m_seen.constEnd())
        return nullptr;
    const Seen *found = nullptr;
    for (const Seen &s : *it)
        if (s.feedSeq <= seq)
            found = &s;
    return found;
}

void Bench::checkAnswer(const QByteArray &body, qint64 sentAtSeq)
{
    ++m_answers;
    QHash<QString, qint64> inAnswer;
    const QJsonArray pulls = QJsonDocument::fromJson(body).object().value(QLatin1String("data")).toArray();
    for (const QJsonValue &v : pulls) {
        const QJsonObject p = v.toObject();
        inAnswer.insert(p.value(QLatin1String("job_id")).toString(),
                        parseTime(p.value(QLatin1String("updated_at")).toString()));
    }
    bool stale = false;
    for (auto it = m_seen.constBegin(); it != m_seen.constEnd() && !stale; ++it) {
        const Seen *known = knownAt(it.key(), sentAtSeq);
        if (!known)
            continue;
        const auto answered = inAnswer.constFind(it.key());
        if (known->terminal)
            stale = answered != inAnswer.constEnd(); // finished before the request, still listed
        else if (answered == inAnswer.constEnd())
            ++m_absent; // finished, with the feed's message still on its way: not older
        else
            stale = *answered < known->updatedMs;
        if (stale && m_stale < 5)
            qWarning("stale: job %s known %s at %lld (feed %lld), answered %lld",
                     qPrintable(it.key()), known->terminal ? "finished" : "active",
                     known->updatedMs, known->feedSeq,
                     answered == inAnswer.constEnd() ? -1LL : *answered);
    }
    if (stale && m_stale < 5) // the first few, for whoever looks into it
        qWarning("stale answer: sent at feed position %lld (of %lld); answer: %s",
                 sentAtSeq, m_feedSeq, body.left(600).constData());
    m_stale += stale;
}

void Bench::startPull()
{
    QNetworkRequest request(m_base.resolved(QUrl(QStringLiteral("/images/pull"))));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    QNetworkReply *reply = m_http.post(
        request, QStringLiteral("{\"names\":[\"bench/flow-%1:1\"]}").arg(++m_pullsStarted).toUtf8());
    connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
}

void Bench::finish()
{
    m_running = false;
    m_driver.stop();
    BenchUtil::emitValue("answers", double(m_answers));
    BenchUtil::emitValue("answers_per_second", double(m_answers) / m_seconds);
    BenchUtil::emitValue("changes", double(m_changes));
    BenchUtil::emitValue("changes_per_second", double(m_changes) / m_seconds);
    BenchUtil::emitValue("pulls_started", double(m_pullsStarted));
    BenchUtil::emitValue("stale_answers", double(m_stale));
    BenchUtil::emitValue("error_answers", double(m_errors));
    BenchUtil::emitValue("absent_before_feed", double(m_absent));
    QCoreApplication::quit();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Bench bench(app.arguments());
    QTimer::singleShot(0, &bench, &Bench::start);
    return app.exec();
}
