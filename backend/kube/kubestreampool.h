#pragma once

#include <QHash>
#include <QList>
#include <QNetworkRequest>
#include <QObject>

class QNetworkAccessManager;
class QNetworkReply;

namespace pw::kube {

// Long-lived requests (watches, log follows) hold an HTTP/1.1 connection each, and one
// QNetworkAccessManager opens at most 6 connections per host: the 7th stream would wait
// for one of the others to end. The pool spreads streams over several managers, at most
// `streamsPerManager` each, adding a manager when all are full and dropping idle extras.
// Ordinary requests use the client's own manager and never wait behind a stream.
class KubeStreamPool : public QObject {
    Q_OBJECT
public:
    explicit KubeStreamPool(int streamsPerManager = 5, QObject *parent = nullptr);

    // Sends a GET on the least busy manager with room. The reply belongs to the caller.
    QNetworkReply *get(const QNetworkRequest &request);
    int activeStreams() const;
    int managerCount() const { return int(m_managers.size()); }
    // Closes idle connections everywhere (after the client certificate changed).
    void clearConnectionCaches();

private:
    QNetworkAccessManager *pick();
    void release(QNetworkAccessManager *manager);

    int m_perManager;
    QList<QNetworkAccessManager *> m_managers;
    QHash<QNetworkAccessManager *, int> m_active;
};

} // namespace pw::kube
