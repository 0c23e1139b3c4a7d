#pragma once

#include "wsclient.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QUrl>
#include <QWebSocket>

namespace WsTest {

// A log viewer that checks every line as it arrives: frames in seq order, whole lines,
// and (for chatty logs) the counter in each line equal to its seq.
class LogClient : public QObject {
public:
    explicit LogClient(const QUrl &url, bool checkCounter = true,
                       const QStringList &subprotocols = askV2());

    void onMessage(const QString &m);
    bool ended() const;
    // The last message of `type` (that has `field`, when given); empty if none.
    QJsonObject last(const QString &type, const QString &field = QString()) const;
    QStringList states() const;

    QWebSocket socket;
    QString container;
    qint64 firstSeq = -1; // seq of the first frame
    qint64 nextSeq = -1;  // < 0: whatever comes first
    qint64 received = 0;
    qint64 frames = 0;
    qint64 gaps = 0;
    bool keepLines = false;
    QStringList lines;
    QStringList errors;
    QList<QJsonObject> others;
    bool closed = false;
    int closeCode = -1;
    QString closeReason;

private:
    // The lines of one "log" frame: counted, checked, kept when asked.
    void onLines(qint64 seq, int count, const QString &data);

    bool m_checkCounter;
};

} // namespace WsTest
