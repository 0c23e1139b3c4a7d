#pragma once

#include "podinfo.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <QWebSocket>

namespace pw::ui {

class ApiClient;

// The pods of one namespace kept live by /ws/catalog (docs/api.md): a snapshot, then every
// change, so the window's log lists never need reloading. Reopens after a drop.
class CatalogFeed : public QObject {
    Q_OBJECT
public:
    static constexpr int kReconnectMs = 2000;
    static constexpr int kCoalesceMs = 50; // changes within this are told as one

    explicit CatalogFeed(ApiClient *client, QObject *parent = nullptr);
    ~CatalogFeed() override;

    // Follows `ns` (the namespace followed before is let go); the same one again does nothing.
    void watch(const QString &ns);
    QString namespaceName() const { return m_ns; }

Q_SIGNALS:
    // The namespace's pods after a snapshot or changes (a burst within kCoalesceMs is told
    // once), sorted by name.
    void podsChanged(const QString &ns, const QList<PodInfo> &pods);

private:
    void open();
    void onMessage(const QString &text);
    void emitPods();

    ApiClient *m_client;
    QString m_ns;
    QWebSocket m_socket;
    QHash<QString, QJsonObject> m_pods; // by name
    QTimer m_reconnect;
    QTimer m_emit; // coalesces the changes of a burst into one podsChanged
};

} // namespace pw::ui
