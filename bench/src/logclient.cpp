// pwbench-logclient: counts log lines and bytes as fast as they come.
//   --url ws://…/ws/pod-logs?…   one or more (--viewers N) WebSocket viewers
//   --url http://…/log?follow=true [--token T]   the log stream read directly (chunked HTTP)
//   --send TEXT                  a message sent on connecting (the bare server's flood)
//   --warmup S --seconds S       lines are counted over [warmup, warmup + seconds]
// Prints per-viewer lines/s and MB/s (payload bytes: the lines with their newlines).
#include "benchutil.h"
#include "benchws.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

#include <memory>
#include <vector>

namespace {

struct Counter
{
    qint64 lines = 0;
    qint64 bytes = 0;
    qint64 gaps = 0;
};

// Reads one follow=true log response over plain HTTP/1.1, undoing the chunked framing.
class HttpReader : public QObject
{
public:
    HttpReader(const QUrl &url, const QByteArray &token, Counter *counter)
        : m_counter(counter)
    {
        connect(&m_socket, &QTcpSocket::connected, this, [this, url, token] {
            QByteArray request = "GET " + url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority)
                + " HTTP/1.1\r\nHost: " + url.authority().toLatin1() + "\r\n";
            if (!token.isEmpty())
                request += "Authorization: Bearer " + token + "\r\n";
            m_socket.write(request + "\r\n");
        });
        connect(&m_socket, &QTcpSocket::readyRead, this, &HttpReader::onData);
        m_socket.setReadBufferSize(0);
        m_socket.connectToHost(url.host(), quint16(url.port(80)));
    }

private:
    void onData()
    {
        m_buffer += m_socket.readAll();
        if (!m_inBody) {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            m_chunked = m_buffer.left(end).toLower().contains("transfer-encoding: chunked");
            m_buffer.remove(0, end + 4);
            m_inBody = true;
        }
        if (!m_chunked) {
            count(m_buffer.constData(), m_buffer.size());
            m_buffer.clear();
            return;
        }
        qsizetype pos = 0;
        for (;;) {
            if (m_chunkLeft == 0) {
                const qsizetype eol = m_buffer.indexOf("\r\n", pos);
                if (eol < 0)
                    break;
                m_chunkLeft = m_buffer.mid(pos, eol - pos).toLongLong(nullptr, 16) + 2;
                pos = eol + 2;
                if (m_chunkLeft == 2) { // last chunk
                    m_socket.close();
                    return;
                }
            }
            const qsizetype take = qMin<qsizetype>(m_chunkLeft, m_buffer.size() - pos);
            if (take <= 0)
                break;
            // The chunk's trailing CRLF is not payload.
            const qsizetype payload = qMin<qsizetype>(take, qMax<qsizetype>(0, m_chunkLeft - 2));
            count(m_buffer.constData() + pos, payload);
            m_chunkLeft -= take;
            pos += take;
        }
        m_buffer.remove(0, pos);
    }

    void count(const char *data, qsizetype size)
    {
        m_counter->bytes += size;
        for (qsizetype i = 0; i < size; ++i)
            m_counter->lines += data[i] == '\n';
    }

    QTcpSocket m_socket;
    Counter *m_counter;
    QByteArray m_buffer;
    bool m_inBody = false;
    bool m_chunked = false;
    qint64 m_chunkLeft = 0;
};

// Counts a /ws/pod-logs frame without a full JSON parse: "lines":k and the data length.
void countFrame(const QString &text, Counter *counter)
{
    if (text.startsWith(QLatin1String("{\"type\":\"gap\"")) || text.contains(QLatin1String("\"type\":\"gap\""))) {
        ++counter->gaps;
        return;
    }
    const qsizetype linesAt = text.indexOf(QLatin1String("\"lines\":"));
    const qsizetype dataAt = text.indexOf(QLatin1String("\"data\":\""));
    if (linesAt < 0 || dataAt < 0)
        return;
    qsizetype i = linesAt + 8;
    qint64 lines = 0;
    while (i < text.size() && text.at(i).isDigit())
        lines = lines * 10 + text.at(i++).digitValue();
    counter->lines += lines;
    // The data string ends at the first unescaped quote; "\n" escapes count as one byte.
    qsizetype end = dataAt + 8;
    qint64 bytes = 0;
    while (end < text.size() && text.at(end) != QLatin1Char('"')) {
        if (text.at(end) == QLatin1Char('\\'))
            ++end;
        ++end;
        ++bytes;
    }
    counter->bytes += bytes;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    BenchUtil::raiseFileLimit();
    const QStringList args = app.arguments();
    const QUrl url(BenchUtil::option(args, "url"));
    const int viewers = BenchUtil::option(args, "viewers", QStringLiteral("1")).toInt();
    const double warmup = BenchUtil::option(args, "warmup", QStringLiteral("1")).toDouble();
    const double seconds = BenchUtil::option(args, "seconds", QStringLiteral("5")).toDouble();
    const QByteArray token = BenchUtil::option(args, "token").toUtf8();

    std::vector<Counter> counters(static_cast<size_t>(viewers));
    std::vector<Counter> atStart = counters;
    std::vector<std::unique_ptr<QObject>> readers;
    for (int i = 0; i < viewers; ++i) {
        Counter *counter = &counters[size_t(i)];
        if (url.scheme() == QLatin1String("http")) {
            readers.push_back(std::make_unique<HttpReader>(url, token, counter));
        } else {
            auto socket = std::make_unique<QWebSocket>();
            QObject::connect(socket.get(), &QWebSocket::textMessageReceived, &app,
                             [counter](const QString &text) { countFrame(text, counter); });
            const QString send = BenchUtil::option(args, "send");
            if (!send.isEmpty())
                QObject::connect(socket.get(), &QWebSocket::connected, socket.get(),
                                 [s = socket.get(), send] { s->sendTextMessage(send); });
            BenchUtil::openWebSocket(*socket, url);
            readers.push_back(std::move(socket));
        }
    }
    QElapsedTimer clock;
    QTimer::singleShot(int(warmup * 1000), &app, [&] {
        atStart = counters;
        clock.start();
        QTimer::singleShot(int(seconds * 1000), &app, [&] {
            const double elapsed = double(clock.nsecsElapsed()) / 1e9;
            QList<double> mbps;
            double totalLines = 0;
            qint64 gaps = 0;
            for (size_t i = 0; i < counters.size(); ++i) {
                const double lines = double(counters[i].lines - atStart[i].lines);
                const double bytes = double(counters[i].bytes - atStart[i].bytes);
                mbps << bytes / elapsed / 1e6;
                totalLines += lines;
                gaps += counters[i].gaps;
                if (i == 0)
                    BenchUtil::emitValue("lines_per_second", lines / elapsed);
            }
            BenchUtil::emitValue("viewers", double(viewers));
            BenchUtil::emitValue("mb_per_second", BenchUtil::percentile(mbps, 50));
            BenchUtil::emitValue("mb_per_second_min", BenchUtil::percentile(mbps, 0));
            BenchUtil::emitValue("mb_per_second_max", BenchUtil::percentile(mbps, 100));
            BenchUtil::emitValue("mb_per_second_total", [&] {
                double t = 0;
                for (double v : mbps)
                    t += v;
                return t;
            }());
            BenchUtil::emitValue("lines_per_second_total", totalLines / elapsed);
            BenchUtil::emitValue("gap_messages", double(gaps));
            QCoreApplication::quit();
        });
    });
    return app.exec();
}
