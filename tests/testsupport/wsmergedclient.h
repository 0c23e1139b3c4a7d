#pragma once

#include "wsclient.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <QUrl>
#include <QWebSocket>

namespace WsTest {

// A merged log viewer (/ws/pod-logs with container=*, selector= or job=): log messages by
// source (pod/container), each source's seq numbers checked to follow on (a new "streaming"
// message with another stream id starts a new numbering), whole lines only.
class MergedClient : public QObject {
public:
    explicit MergedClient(const QUrl &url, const QStringList &subprotocols = askV2());

    void onMessage(const QString &text);
    // Sources (pod/container) that sent lines.
    QSet<QString> sources() const;
    QSet<QString> pods() const;
    // The "stream" messages whose state is `state`.
    QList<QJsonObject> states(const QString &state) const;

    QWebSocket socket;
    QHash<QString, QStringList> lines;
    QStringList order; // the source of each log message, in arrival order
    QHash<QString, qint64> nextSeq;
    QList<QJsonObject> others;
    QStringList errors;
    bool closed = false;
    int closeCode = -1;
    QString closeReason;
};

// The sources of `c`, sorted, and its errors: for a failure message.
QString sourcesText(const MergedClient &c);

} // namespace WsTest
