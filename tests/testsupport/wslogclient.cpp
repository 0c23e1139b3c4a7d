#include "wslogclient.h"

#include <QJsonDocument>

namespace WsTest {

LogClient::LogClient(const QUrl &url, bool checkCounter, const QStringList &subprotocols)
    : m_checkCounter(checkCounter) {
    connect(&socket, &QWebSocket::textMessageReceived, this, &LogClient::onMessage);
    connect(&socket, &QWebSocket::disconnected, this, [this] {
        closed = true;
        closeCode = int(socket.closeCode());
        closeReason = socket.closeReason();
    });
    openSocket(socket, url, subprotocols);
}

void LogClient::onMessage(const QString &m) {
    const QJsonObject o = QJsonDocument::fromJson(m.toUtf8()).object();
    const QString type = o.value(QStringLiteral("type")).toString();
    if (type == QStringLiteral("log")) {
        onLines(qint64(o.value(QStringLiteral("seq")).toDouble()),
                o.value(QStringLiteral("lines")).toInt(),
                o.value(QStringLiteral("data")).toString());
        return;
    }
    others.append(o);
    if (type == QStringLiteral("gap")) {
        const qint64 missed = qint64(o.value(QStringLiteral("missed")).toDouble());
        gaps += missed;
        if (nextSeq >= 0)
            nextSeq += missed;
    }
    // Each container of a job= stream numbers its lines from its own start.
    const QString c = o.value(QStringLiteral("container")).toString();
    if (type == QStringLiteral("stream") && !c.isEmpty() && c != container) {
        container = c;
        nextSeq = -1;
    }
}

void LogClient::onLines(qint64 seq, int count, const QString &data) {
    ++frames;
    if (firstSeq < 0)
        firstSeq = seq;
    if (nextSeq < 0)
        nextSeq = seq;
    if (seq != nextSeq && errors.size() < 10)
        errors.append(QStringLiteral("frame seq %1, expected %2").arg(seq).arg(nextSeq));
    if (!data.endsWith(u'\n') && errors.size() < 10)
        errors.append(QStringLiteral("frame at %1 does not end with a whole line").arg(seq));
    int n = 0;
    qsizetype start = 0;
    while (start < data.size()) {
        const qsizetype end = data.indexOf(u'\n', start);
        const QStringView line = QStringView(data).mid(start, end - start);
        if (m_checkCounter) {
            const qsizetype at = line.indexOf(u"seq=");
            const qsizetype stop = line.indexOf(u' ', at);
            const qint64 counter = at < 0 ? -1 : line.mid(at + 4, stop - at - 4).toLongLong();
            if (counter != seq + n && errors.size() < 10)
                errors.append(
                    QStringLiteral("line %1 carries counter %2").arg(seq + n).arg(counter));
        }
        if (keepLines)
            lines.append(line.toString());
        ++n;
        start = end + 1;
    }
    if (n != count && errors.size() < 10)
        errors.append(
            QStringLiteral("frame at %1 says %2 lines, holds %3").arg(seq).arg(count).arg(n));
    received += n;
    nextSeq = seq + count;
}

bool LogClient::ended() const {
    for (const QJsonObject &o : others)
        if (o.value(QStringLiteral("type")).toString() == QStringLiteral("stream") &&
            o.value(QStringLiteral("state")).toString() == QStringLiteral("ended"))
            return true;
    return false;
}

QJsonObject LogClient::last(const QString &type, const QString &field) const {
    for (auto it = others.crbegin(); it != others.crend(); ++it)
        if (it->value(QStringLiteral("type")).toString() == type &&
            (field.isEmpty() || it->contains(field)))
            return *it;
    return {};
}

QStringList LogClient::states() const {
    QStringList out;
    for (const QJsonObject &o : others)
        if (o.value(QStringLiteral("type")).toString() == QStringLiteral("stream"))
            out.append(o.value(QStringLiteral("state")).toString());
    return out;
}

} // namespace WsTest
