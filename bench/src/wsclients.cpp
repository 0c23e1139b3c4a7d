// pwbench-wsclients: many WebSocket clients subscribed to every pull status.
//   --url ws://…/ws/image-pull-all --count N [--concurrency C] [--server-pid PID]
//   --mode idle    : opens N, waits for every "subscribed", then reports how many are held
//                    and the server's RSS growth per connection.
//   --mode fanout  : opens N, then makes --changes changes one after another and reports the
//                    time from making each change until the last subscriber has it.
//                    --trigger http://… POSTs /images/pull for a new image per change
//                    (Pullwatch); --trigger ws sends {"action":"broadcast"} (bare server).
#include "benchutil.h"
#include "benchws.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QWebSocket>

#include <memory>
#include <vector>

namespace {

struct Client
{
    std::unique_ptr<QWebSocket> socket;
    bool subscribed = false;
    bool closed = false;
    qint64 seenAtNs = -1; // when the current change's marker arrived
};

class Bench : public QObject
{
public:
    explicit Bench(const QStringList &args)
        : m_url(BenchUtil::option(args, "url"))
        , m_count(BenchUtil::option(args, "count", QStringLiteral("1000")).toInt())
        , m_concurrency(BenchUtil::option(args, "concurrency", QStringLiteral("100")).toInt())
        , m_serverPid(BenchUtil::option(args, "server-pid", QStringLiteral("0")).toLongLong())
        , m_fanout(BenchUtil::option(args, "mode") == QLatin1String("fanout"))
        , m_changes(BenchUtil::option(args, "changes", QStringLiteral("100")).toInt())
        , m_trigger(BenchUtil::option(args, "trigger"))
        , m_run(BenchUtil::option(args, "run-id", QStringLiteral("1")))
    {
        m_clients.resize(size_t(m_count));
        m_clock.start();
    }

    void start()
    {
        m_rssBefore = m_serverPid > 0 ? BenchUtil::rssKb(m_serverPid) : -1;
        for (int i = 0; i < m_concurrency && m_opened < m_count; ++i)
            openNext();
        QTimer::singleShot(60'000 + m_count * 20, this, [this] { finish(QStringLiteral("timeout")); });
    }

private:
    void openNext()
    {
        const int index = m_opened++;
        Client &c = m_clients[size_t(index)];
        c.socket = std::make_unique<QWebSocket>();
        QWebSocket *s = c.socket.get();
        s->setProxy(QNetworkProxy::NoProxy); // loopback: no proxy lookup per connection
        connect(s, &QWebSocket::connected, this, [s] {
            s->sendTextMessage(QStringLiteral("{\"action\":\"subscribe\",\"job_id\":\"*\"}"));
        });
        connect(s, &QWebSocket::textMessageReceived, this,
                [this, index](const QString &text) { onMessage(index, text); });
        // Qt 6.4: error(), not errorOccurred(); a failed connect never emits disconnected().
        connect(s, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
                [this, index, s](QAbstractSocket::SocketError) {
            Client &cl = m_clients[size_t(index)];
            if (m_errors++ < 3)
                qWarning("connection %d: %s", index, qPrintable(s->errorString()));
            if (cl.closed)
                return;
            cl.closed = true;
            ++m_lost;
            if (!cl.subscribed)
                settleOne();
        });
        connect(s, &QWebSocket::disconnected, this, [this, index] {
            Client &cl = m_clients[size_t(index)];
            if (cl.closed)
                return;
            cl.closed = true;
            ++m_lost;
            if (!cl.subscribed)
                settleOne();
        });
        BenchUtil::openWebSocket(*s, QUrl(m_url));
    }

    void settleOne()
    {
        ++m_settled;
        if (m_opened < m_count)
            openNext();
        else if (m_settled == m_count)
            QTimer::singleShot(2000, this, &Bench::allOpen); // let the server settle
    }

    void onMessage(int index, const QString &text)
    {
        Client &c = m_clients[size_t(index)];
        if (m_changePhaseStartNs >= 0)
            ++m_messages; // every message of the change phase, whoever's change it carries
        if (!c.subscribed) {
            if (text.contains(QLatin1String("\"subscribed\""))) {
                c.subscribed = true;
                ++m_subscribed;
                settleOne();
            }
            return;
        }
        if (m_marker.isEmpty() || c.seenAtNs >= 0 || !text.contains(m_marker))
            return;
        c.seenAtNs = m_clock.nsecsElapsed();
        if (m_firstSeenNs < 0)
            m_firstSeenNs = c.seenAtNs;
        if (++m_seen == m_subscribed - lostSubscribed())
            changeDelivered(false);
    }

    int lostSubscribed() const
    {
        int n = 0;
        for (const Client &c : m_clients)
            n += c.subscribed && c.closed;
        return n;
    }

    int held() const { return m_subscribed - lostSubscribed(); }

    void allOpen()
    {
        BenchUtil::emitValue("opened", m_count);
        BenchUtil::emitValue("held", held());
        BenchUtil::emitValue("errors", m_errors);
        BenchUtil::emitValue("open_seconds", double(m_clock.elapsed()) / 1000.0);
        if (m_serverPid > 0) {
            const long after = BenchUtil::rssKb(m_serverPid);
            BenchUtil::emitValue("server_rss_before_kb", double(m_rssBefore));
            BenchUtil::emitValue("server_rss_after_kb", double(after));
            BenchUtil::emitValue("rss_per_connection_kb",
                                 held() > 0 ? double(after - m_rssBefore) / held() : 0);
        }
        if (!m_fanout) {
            finish(QString());
            return;
        }
        m_change = 0;
        m_changePhaseStartNs = m_clock.nsecsElapsed();
        nextChange();
    }

    void nextChange()
    {
        if (m_change >= m_changes) {
            BenchUtil::emitValue("changes", m_latencies.size());
            BenchUtil::emitValue("missed_changes", m_missed);
            BenchUtil::emitValue("fanout_p50_ms", BenchUtil::percentile(m_latencies, 50));
            BenchUtil::emitValue("fanout_p99_ms", BenchUtil::percentile(m_latencies, 99));
            BenchUtil::emitValue("fanout_max_ms", BenchUtil::percentile(m_latencies, 100));
            BenchUtil::emitValue("spread_p50_ms", BenchUtil::percentile(m_spreads, 50));
            BenchUtil::emitValue("spread_p99_ms", BenchUtil::percentile(m_spreads, 99));
            // All status messages the subscribers received while the changes ran: with
            // several processes behind one Redis, the other processes' changes too.
            BenchUtil::emitValue("messages_received", double(m_messages));
            BenchUtil::emitValue("change_seconds",
                                 double(m_clock.nsecsElapsed() - m_changePhaseStartNs) / 1e9);
            finish(QString());
            return;
        }
        ++m_change;
        for (Client &c : m_clients)
            c.seenAtNs = -1;
        m_seen = 0;
        m_firstSeenNs = -1;
        m_marker = QStringLiteral("fanout-%1-%2:").arg(m_run).arg(m_change);
        const QString image = m_marker.chopped(1);
        const int change = m_change;
        m_changeStartNs = m_clock.nsecsElapsed();
        if (m_trigger == QLatin1String("ws")) {
            m_clients.front().socket->sendTextMessage(
                QStringLiteral("{\"action\":\"broadcast\",\"marker\":\"%1:1\"}").arg(image));
        } else {
            QNetworkRequest request(QUrl(m_trigger + QStringLiteral("/images/pull")));
            request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
            QNetworkReply *reply = m_http.post(
                request, QStringLiteral("{\"names\":[\"bench/%1:1\"]}").arg(image).toUtf8());
            connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
        }
        QTimer::singleShot(5000, this, [this, change] {
            if (change == m_change && !m_marker.isEmpty())
                changeDelivered(true);
        });
    }

    void changeDelivered(bool timedOut)
    {
        m_marker.clear();
        qint64 last = m_changeStartNs;
        for (const Client &c : m_clients)
            last = qMax(last, c.seenAtNs);
        if (timedOut) {
            ++m_missed;
            m_latencies << 5000.0;
        } else {
            m_latencies << double(last - m_changeStartNs) / 1e6;
            m_spreads << double(last - m_firstSeenNs) / 1e6;
        }
        QTimer::singleShot(timedOut ? 0 : 20, this, &Bench::nextChange);
    }

    void finish(const QString &why)
    {
        if (!why.isEmpty()) {
            BenchUtil::emitText("error", why);
            BenchUtil::emitValue("held", held());
        }
        QCoreApplication::exit(why.isEmpty() ? 0 : 1);
    }

    QString m_url;
    int m_count;
    int m_concurrency;
    qint64 m_serverPid;
    bool m_fanout;
    int m_changes;
    QString m_trigger;
    QString m_run;
    std::vector<Client> m_clients;
    QNetworkAccessManager m_http;
    QElapsedTimer m_clock;
    long m_rssBefore = -1;
    int m_opened = 0;
    int m_settled = 0;
    int m_subscribed = 0;
    int m_lost = 0;
    int m_errors = 0;
    int m_change = 0;
    int m_seen = 0;
    int m_missed = 0;
    qint64 m_changeStartNs = 0;
    qint64 m_firstSeenNs = -1;
    qint64 m_changePhaseStartNs = -1; // set when the changes start
    quint64 m_messages = 0;           // text messages received since then
    QString m_marker;
    QList<double> m_latencies;
    QList<double> m_spreads;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    BenchUtil::raiseFileLimit();
    Bench bench(app.arguments());
    QTimer::singleShot(0, &bench, &Bench::start);
    return app.exec();
}
