#pragma once

#include "reconnectingsocket.h"

#include <QDebug>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>
#include <QWebSocket>

// One /ws/image-pull-all subscriber to every pull. Each connection is a session; within a
// session the status messages of a pull must move forward, never repeat and end at most once.
class Subscriber : public QObject {
public:
    struct Violations {
        int backwards = 0, duplicates = 0, afterFinal = 0;
    };

    // Subscribes to "*" at `base`, and again whenever the connection closes (as the window
    // and the web UI do), until stop(). What it saw of each pull is kept across sessions: a
    // new session's snapshot may not take a pull back.
    void open(const QUrl &base) {
        QUrl url = base;
        url.setScheme(QStringLiteral("ws"));
        url.setPath(QStringLiteral("/ws/image-pull-all"));
        m_client.url = [url] { return url; };
        m_client.connected = [](QWebSocket *socket) {
            socket->sendTextMessage(QStringLiteral(R"({"action":"subscribe","job_id":"*"})"));
        };
        m_client.message = [this](const QString &text) { onMessage(text); };
        m_client.start();
    }
    void stop() { m_client.stop(); }
    int sessions() const { return m_client.sessions(); }
    bool isConnected() const { return m_client.isConnected(); }
    const Violations &violations() const { return m_violations; }
    // Pulls this subscriber saw end, and how often.
    const QHash<QString, int> &finals() const { return m_finals; }

private:
    struct Seen {
        int progress = -1;
        QString status;
        bool final = false;
        QJsonObject last;
    };

    void onMessage(const QString &text) {
        const QJsonObject m = QJsonDocument::fromJson(text.toUtf8()).object();
        const QString type = m.value(QStringLiteral("type")).toString();
        if (type == QStringLiteral("subscribed")) {
            for (const QJsonValue &v : m.value(QStringLiteral("snapshot")).toArray())
                take(v.toObject(), true);
        } else if (type == QStringLiteral("status")) {
            take(m, false);
        }
    }
    void take(const QJsonObject &m, bool snapshot) {
        const QString id = m.value(QStringLiteral("job_id")).toString();
        const QString status = m.value(QStringLiteral("status")).toString();
        const int progress = m.value(QStringLiteral("progress")).toInt();
        Seen &seen = m_session[id];
        const bool final =
            status == QStringLiteral("completed") || status == QStringLiteral("failed");
        // A final state may be sent again with more detail (a failure's reason); it may not
        // change, and nothing may be sent twice as it was.
        if (!snapshot && m == seen.last)
            note(m_violations.duplicates, m);
        else if (seen.final && status != seen.status)
            note(m_violations.afterFinal, m);
        else if (progress < seen.progress && status != QStringLiteral("failed"))
            note(m_violations.backwards, m);
        if (final && !seen.final)
            ++m_finals[id];
        seen.progress = progress;
        seen.status = status;
        seen.final = seen.final || final;
        seen.last = m;
    }
    void note(int &counter, const QJsonObject &m) {
        if (++counter == 1 && m_examples < 3) {
            ++m_examples;
            qInfo().noquote() << "violation:" << QJsonDocument(m).toJson(QJsonDocument::Compact);
        }
    }

    ReconnectingSocket m_client;
    QHash<QString, Seen> m_session;
    QHash<QString, int> m_finals;
    Violations m_violations;
    int m_examples = 0;
};
