#include "wsmergedclient.h"

#include <QJsonDocument>

namespace WsTest {

MergedClient::MergedClient(const QUrl &url, const QStringList &subprotocols) {
    connect(&socket, &QWebSocket::textMessageReceived, this, &MergedClient::onMessage);
    connect(&socket, &QWebSocket::disconnected, this, [this] {
        closed = true;
        closeCode = int(socket.closeCode());
        closeReason = socket.closeReason();
    });
    openSocket(socket, url, subprotocols);
}

void MergedClient::onMessage(const QString &text) {
    const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString type = o.value(QStringLiteral("type")).toString();
    const QString source = o.value(QStringLiteral("pod")).toString() + u'/' +
                           o.value(QStringLiteral("container")).toString();
    if (type != QStringLiteral("log")) {
        others.append(o);
        if (type == QStringLiteral("stream") && o.contains(QStringLiteral("stream")))
            nextSeq.remove(source); // a new stream of this source numbers from its start
        if (type == QStringLiteral("error"))
            errors.append(o.value(QStringLiteral("error")).toString());
        return;
    }
    if (!o.contains(QStringLiteral("pod")) || !o.contains(QStringLiteral("container")))
        errors.append(QStringLiteral("a merged log message without pod or container: %1")
                          .arg(text.left(200)));
    const qint64 seq = qint64(o.value(QStringLiteral("seq")).toDouble());
    const int count = o.value(QStringLiteral("lines")).toInt();
    if (nextSeq.contains(source) && nextSeq.value(source) != seq)
        errors.append(QStringLiteral("%1: seq %2, expected %3")
                          .arg(source)
                          .arg(seq)
                          .arg(nextSeq.value(source)));
    nextSeq.insert(source, seq + count);
    const QString data = o.value(QStringLiteral("data")).toString();
    QStringList got = data.split(u'\n');
    if (got.isEmpty() || !got.takeLast().isEmpty())
        errors.append(
            QStringLiteral("%1: a message that does not end with a whole line").arg(source));
    if (got.size() != count)
        errors.append(
            QStringLiteral("%1: %2 lines said, %3 held").arg(source).arg(count).arg(got.size()));
    lines[source] += got;
    order.append(source);
}

QSet<QString> MergedClient::sources() const {
    QSet<QString> out;
    for (auto it = lines.cbegin(); it != lines.cend(); ++it)
        out.insert(it.key());
    return out;
}

QSet<QString> MergedClient::pods() const {
    QSet<QString> out;
    for (const QString &s : sources())
        out.insert(s.section(u'/', 0, 0));
    return out;
}

QList<QJsonObject> MergedClient::states(const QString &state) const {
    QList<QJsonObject> out;
    for (const QJsonObject &o : others)
        if (o.value(QStringLiteral("type")).toString() == QStringLiteral("stream") &&
            o.value(QStringLiteral("state")).toString() == state)
            out.append(o);
    return out;
}

QString sourcesText(const MergedClient &c) {
    QStringList s = c.sources().values();
    s.sort();
    return s.join(u',') + QStringLiteral(" | ") + c.errors.join(QStringLiteral("; "));
}

} // namespace WsTest
