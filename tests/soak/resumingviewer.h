#pragma once

#include "reconnectingsocket.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

// A /ws/pod-logs viewer of one chatty container that stays open across Pullwatch's restart
// as the window and the web UI do: when its socket closes it reconnects to the same address
// with its resume cursor (ReconnectingSocket) (resume=<next seq>&stream=<last stream id>). The chatty lines carry
// the container's own line number (`seq=N`), so the viewer checks across every session that
// each line arrives exactly once and in order, or that a gap message accounts for it:
// - a `gap` counts `missed` lines, which are then skipped;
// - after a `restarted` gap (the stream it resumed from is gone, as after a restart) the new
//   stream's lines already shown are dropped, as the viewers drop a replayed tail, and
//   lines it never got are counted by the viewer, since the server cannot know them;
// anything else (a line twice, out of order, or skipped silently) is an error.
class ResumingViewer : public QObject
{
public:
    ResumingViewer(const QUrl &base, const QString &job)
        : m_base(base)
        , m_job(job)
    {
        m_client.url = [this] { return url(); };
        m_client.message = [this](const QString &text) { onMessage(text); };
        m_client.subprotocols = WsTest::askV2();
        m_client.start();
    }
    // No more reconnecting (the run is over).
    void stop() { m_client.stop(); }
    int sessions() const { return m_client.sessions(); }

    qint64 lines = 0;               // lines taken, each once and in order
    qint64 reportedMissed = 0;      // lines gap messages said were missed
    qint64 missedAcrossRestart = 0; // lines a restarted stream did not replay
    qint64 replayed = 0;            // lines a restarted stream sent again (dropped)
    int restarts = 0;               // restarted gaps
    QStringList errors;

private:
    // Where the next session starts: the resume cursor once there is one.
    QUrl url()
    {
        QUrl url = m_base;
        url.setScheme(QStringLiteral("ws"));
        url.setPath(QStringLiteral("/ws/pod-logs"));
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("job"), m_job);
        query.addQueryItem(QStringLiteral("container"), QStringLiteral("push-to-harbor"));
        if (m_nextSeq >= 0) {
            query.addQueryItem(QStringLiteral("resume"), QString::number(m_nextSeq));
            if (!m_stream.isEmpty())
                query.addQueryItem(QStringLiteral("stream"), m_stream);
        }
        url.setQuery(query);
        m_resumed = m_nextSeq >= 0;
        return url;
    }

    void error(const QString &text)
    {
        if (errors.size() < 10)
            errors.append(QStringLiteral("%1: %2").arg(m_job, text));
    }

    void onMessage(const QString &text)
    {
        const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
        const QString type = o.value(QStringLiteral("type")).toString();
        if (type == QStringLiteral("log"))
            takeFrame(o);
        else if (type == QStringLiteral("gap"))
            takeGap(o);
        else if (type == QStringLiteral("stream"))
            takeStream(o);
        else if (type == QStringLiteral("error"))
            error(QStringLiteral("error message: ") + o.value(QStringLiteral("error")).toString());
    }

    void takeStream(const QJsonObject &o)
    {
        if (o.value(QStringLiteral("state")).toString() == QStringLiteral("ended"))
            m_client.stop(); // the log is over: nothing to resume
        const QString id = o.value(QStringLiteral("stream")).toString();
        if (id.isEmpty() || id == m_stream)
            return;
        // A new stream within a session is the next run of the container: numbers from its
        // start. The first new id of a resumed session comes with a restarted gap instead.
        if (!m_resumed && !m_stream.isEmpty()) {
            m_shown = -1;
            m_nextSeq = -1;
        }
        m_resumed = false;
        m_stream = id;
    }

    void takeGap(const QJsonObject &o)
    {
        if (o.value(QStringLiteral("restarted")).toBool()) {
            ++restarts;
            m_afterRestart = true;
            m_nextSeq = qint64(o.value(QStringLiteral("seq")).toDouble());
            return;
        }
        const qint64 missed = qint64(o.value(QStringLiteral("missed")).toDouble());
        reportedMissed += missed;
        m_gapSinceLastLine = true;
        if (m_nextSeq >= 0)
            m_nextSeq += missed;
    }

    // Frames follow each other in the stream's numbering, gaps included.
    void takeFrame(const QJsonObject &o)
    {
        const qint64 seq = qint64(o.value(QStringLiteral("seq")).toDouble());
        const int count = o.value(QStringLiteral("lines")).toInt();
        const QString data = o.value(QStringLiteral("data")).toString();
        if (m_nextSeq >= 0 && seq != m_nextSeq)
            error(QStringLiteral("frame seq %1, expected %2").arg(seq).arg(m_nextSeq));
        int n = 0;
        for (qsizetype start = 0; start < data.size(); ++n) {
            qsizetype end = data.indexOf(u'\n', start);
            if (end < 0)
                end = data.size();
            takeLine(QStringView(data).mid(start, end - start));
            start = end + 1;
        }
        if (n != count)
            error(QStringLiteral("frame at %1 says %2 lines, holds %3").arg(seq).arg(count).arg(n));
        m_nextSeq = seq + count;
    }

    // Lines by their own number, across sessions: each shown once, in order.
    void takeLine(QStringView line)
    {
        const qsizetype at = line.indexOf(u"seq=");
        const qsizetype stop = line.indexOf(u' ', at);
        const qint64 number = at < 0 ? -1 : line.mid(at + 4, stop - at - 4).toLongLong();
        if (number < 0) {
            error(QStringLiteral("a line without its number: %1").arg(line.left(80)));
            return;
        }
        if (m_shown < 0)
            m_shown = number; // the first line this viewer is shown
        if (number < m_shown) {
            if (restarts > 0) // a restarted stream sends lines already shown again
                ++replayed;
            else
                error(QStringLiteral("line %1 again or out of order, expected %2")
                          .arg(number)
                          .arg(m_shown));
            return;
        }
        if (number > m_shown) {
            if (m_afterRestart)
                missedAcrossRestart += number - m_shown;
            else if (!m_gapSinceLastLine)
                error(QStringLiteral("lines %1..%2 skipped without a gap message")
                          .arg(m_shown)
                          .arg(number - 1));
        }
        m_afterRestart = false;
        m_gapSinceLastLine = false;
        m_shown = number + 1;
        ++lines;
    }

    const QUrl m_base;
    const QString m_job;
    ReconnectingSocket m_client;
    QString m_stream;        // id of the last stream message
    qint64 m_nextSeq = -1;   // the resume cursor: next seq of that stream
    qint64 m_shown = -1;     // the next line number not yet shown
    bool m_afterRestart = false;     // a restarted gap came, no new line since
    bool m_gapSinceLastLine = false; // a gap message came, no line since
    bool m_resumed = false;  // this session was opened with resume=
};
